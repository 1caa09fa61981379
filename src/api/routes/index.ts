import type { RouteModule } from '../route';
import { adminRoutes } from './admin';
import { adminHealthRoutes } from './admin-health';
import { ciscoRoutes } from './cisco';
import { ciscoAccountRoutes } from './cisco-accounts';
import { ciscoActivationRoutes } from './cisco-activation';
import { ciscoAliasRoutes } from './cisco-alias';
import { deviceRoutes } from './devices';
import { eventRoutes } from './events';
import { faultRoutes } from './faults';
import { fileRoutes } from './files';
import { firmwareRoutes } from './firmware';
import { jobRoutes } from './jobs';
import { overviewRoutes } from './overview';
import { profileRoutes } from './profiles';
import { sessionTraceRoutes } from './session-traces';
import { sessionRoutes } from './session';
import { sessionOidcRoutes } from './session-oidc';
import { syslogRoutes } from './syslog';
import { taskRoutes } from './tasks';
import { userRoutes } from './users';

/** Every route module of the API, one per concern. Add yours here (see ../README.md). */
export const ROUTE_MODULES: readonly RouteModule[] = [deviceRoutes, taskRoutes, faultRoutes, jobRoutes, adminRoutes, fileRoutes, ciscoRoutes, profileRoutes, firmwareRoutes, ciscoAliasRoutes, ciscoActivationRoutes, syslogRoutes, sessionTraceRoutes, sessionRoutes, userRoutes, overviewRoutes, eventRoutes, ciscoAccountRoutes, sessionOidcRoutes, adminHealthRoutes];
