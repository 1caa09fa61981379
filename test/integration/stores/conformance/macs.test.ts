import { MacDirectory } from '../../../../src/devices/mac-directory';
import { MemoryMacs } from '../../../support/memory/macs';
import { contractBesideDevices } from './devices.contract';
import { macsContract, type MacsFixture } from './macs.contract';

contractBesideDevices<Pick<MacsFixture, 'macs'>>('MAC directory', { name: 'MacDirectory on FerretDB', make: (db) => ({ macs: new MacDirectory(db) }) }, (devices) => ({ macs: new MemoryMacs(devices) }), macsContract);
