// The gear optimizer: /gear, /gear/preset/:preset (start from a preset),
// /gear/build/:build (start from a stored build's gear input).
import { Route, Router } from 'preact-iso';
import NotFound from '../not-found';
import { Optimizer } from './optimizer';
import './gear.css';

export default function Gear() {
  return (
    <Router>
      <Route path="/" component={Optimizer} />
      <Route path="/preset/:preset" component={Optimizer} />
      <Route path="/build/:build" component={Optimizer} />
      <Route default component={NotFound} />
    </Router>
  );
}
