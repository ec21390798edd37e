export * from './data-stack';
