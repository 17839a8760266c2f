// Account pages: log in, sign up, e-mail confirmation, password reset and the profile.
import { Route, Router } from 'preact-iso';
import { Forgot, Reset } from './recovery';
import { Login } from './login';
import { Profile } from './profile';
import { Register } from './register';
import { Verify } from './verify';

export default function Account() {
  return (
    <Router>
      <Route path="/login" component={Login} />
      <Route path="/register" component={Register} />
      <Route path="/verify-email" component={Verify} />
      <Route path="/forgot-password" component={Forgot} />
      <Route path="/reset-password" component={Reset} />
      <Route path="/profile" component={Profile} />
    </Router>
  );
}
