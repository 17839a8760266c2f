// The builds area (/builds…): the browser, a build's page, the editor, my builds and my
// saved builds. `/mine`, `/saved` and `/new` come before `/:id` so that they win.
import { Route, Router } from 'preact-iso';
import { Browser } from './browser';
import { BuildPage } from './build-page';
import { EditBuild, NewBuild } from './editor';
import { MyBuilds } from './mine';
import { SavedBuilds } from './saved';
import './builds.css';

export default function Builds() {
  return (
    <Router>
      <Route path="/" component={Browser} />
      <Route path="/new" component={NewBuild} />
      <Route path="/mine" component={MyBuilds} />
      <Route path="/saved" component={SavedBuilds} />
      <Route path="/:id/edit" component={EditBuild} />
      <Route path="/:id" component={BuildPage} />
    </Router>
  );
}
