// Account pages: log in, sign up, e-mail confirmation, password reset and the profile. They
// share one chunk; app.tsx routes each path to its component.
export { Forgot, Reset } from './recovery';
export { Login } from './login';
export { Profile } from './profile';
export { Register } from './register';
export { Verify } from './verify';
