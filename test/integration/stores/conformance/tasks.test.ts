import { TaskRepository } from '../../../../src/tasks/repository';
import { MemoryTasks } from '../../../support/memory/tasks';
import { contractBesideDevices } from './devices.contract';
import { tasksContract, type TasksFixture } from './tasks.contract';

contractBesideDevices<Pick<TasksFixture, 'tasks'>>('tasks', { name: 'TaskRepository on FerretDB', make: (db) => ({ tasks: new TaskRepository(db) }) }, (devices) => ({ tasks: new MemoryTasks(devices) }), tasksContract);
