import { sessionSuite } from './session-cases';

sessionSuite();
