import { jobSuites } from './job-cases';

jobSuites();
