import type { RouteModule } from '../route';
import { adminRoutes } from './admin';
import { ciscoRoutes } from './cisco';
import { ciscoActivationRoutes } from './cisco-activation';
import { ciscoAliasRoutes } from './cisco-alias';
import { deviceRoutes } from './devices';
import { faultRoutes } from './faults';
import { fileRoutes } from './files';
import { firmwareRoutes } from './firmware';
import { jobRoutes } from './jobs';
import { profileRoutes } from './profiles';
import { syslogRoutes } from './syslog';
import { taskRoutes } from './tasks';

/** Every route module of the API, one per concern. Add yours here (see ../README.md). */
export const ROUTE_MODULES: readonly RouteModule[] = [deviceRoutes, taskRoutes, faultRoutes, jobRoutes, adminRoutes, fileRoutes, ciscoRoutes, ciscoAliasRoutes, ciscoActivationRoutes, profileRoutes, firmwareRoutes, syslogRoutes];
