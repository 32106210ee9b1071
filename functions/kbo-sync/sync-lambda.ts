// Lambda entries of the kbo-sync state machine's tasks; one function per exported handler.
import { loadConfig } from '../../shared/config.ts';
import { createDependencies } from '../../shared/adapters/dependencies.ts';
import { createSyncTasks, type FileInput } from './sync-tasks.ts';

const tasks = createSyncTasks(createDependencies(loadConfig()));

export const planRun = () => tasks.planRun();
export const prepareFile = (input: FileInput) => tasks.prepareFile(input);
export const applySlice = (input: FileInput) => tasks.applySlice(input);
