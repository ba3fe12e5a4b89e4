export * from './ports';
export * from './run';
export * from './scope-check';
export * from './scope-plan';
