// Entry point: styles, then the app.
import { render } from 'preact';
import './styles/base.css';
import './styles/components.css';
import { App } from './app';

render(<App />, document.getElementById('app')!);
