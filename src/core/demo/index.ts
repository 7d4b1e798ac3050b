/** The demo month: one fictional pharmacy's March, loaded into a ledger of its own and marked DEMO. */
export {
  createDemoLedger,
  loadDemo,
  removeDemoFolder,
  type DemoFileResult,
  type DemoLoadResult,
} from './load';
export { demoAvailable, readDemoResources, type DemoPerson, type DemoResources } from './resources';
