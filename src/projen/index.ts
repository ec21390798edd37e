export * from './slipway-project';
