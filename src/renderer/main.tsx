// Renderer entry: apply the saved theme before the first paint, open the local library, then
// render the app inside it.
import './platform/zod-without-eval';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LibraryProvider, WorkspaceProvider } from './data/hooks';
import { openLibrary } from './data/open';
import { App } from './App';
import { Splash } from './features/shell/Splash';
import { applyStoredTheme } from './features/theme/theme';
import './styles/base.css';
import './styles/app.css';

applyStoredTheme();

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element.');
const root = createRoot(container);
root.render(<Splash />);

openLibrary().then(
  ({ app, collection, library }) => {
    library.whenReady.catch((error: unknown) => root.render(<Splash error={error} />));
    root.render(
      <StrictMode>
        <WorkspaceProvider workspace={{ app, collection }}>
          <LibraryProvider library={library}>
            <App />
          </LibraryProvider>
        </WorkspaceProvider>
      </StrictMode>,
    );
  },
  (error: unknown) => root.render(<Splash error={error} />),
);
