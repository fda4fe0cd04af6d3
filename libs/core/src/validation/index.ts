export * from './ranges';
export * from './strings';
