import { openStore } from '../../src/store/index.js';
import { routeSuite } from './route-suite.js';

routeSuite('sqlite', () => openStore({ dataDir: ':memory:' }));
