/** Managing the people who use the workstation (the `users.*` procedures). */
export { usersHandlers } from './handlers';
export { UserService } from './service';
