export { AccountStore, accountCodeProblem, type AccountDoc, type BindOutcome, type BoundPhone, type UnbindOutcome } from './store';
