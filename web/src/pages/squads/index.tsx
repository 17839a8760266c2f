// The squad planner: /squads (my teams and public teams), /squads/new and /squads/:id (the
// planner, the latter a saved team's share link).
import { Route, Router } from 'preact-iso';
import './squads.css';
import { TeamList } from './list';
import { Planner } from './planner';

export default function Squads() {
  return (
    <Router>
      <Route path="/" component={TeamList} />
      <Route path="/new" component={Planner} />
      <Route path="/:id" component={Planner} />
    </Router>
  );
}
