// Renderer entry: apply the saved theme before the first paint, open the local library, then
// render the app inside it.
import './platform/zod-without-eval';
import { StrictMode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { LibraryProvider, WorkspaceProvider } from './data/hooks';
import { finishOpening, openLibrary } from './data/open';
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
  (opened) => {
    const { app, collection, library } = opened;
    // The first screen is rendered in one go from the stored rows; only after it has been painted
    // does the document replay, which takes a while for a large collection.
    flushSync(() =>
      root.render(
        <StrictMode>
          <WorkspaceProvider workspace={{ app, collection }}>
            <LibraryProvider library={library}>
              <App />
            </LibraryProvider>
          </WorkspaceProvider>
        </StrictMode>,
      ),
    );
    let started = false;
    const finish = () => {
      if (started) return;
      started = true;
      finishOpening(opened).catch((error: unknown) => root.render(<Splash error={error} />));
    };
    requestAnimationFrame(() => setTimeout(finish));
    // A window that is not shown yet gets no animation frames; it must still finish opening.
    setTimeout(finish, 250);
  },
  (error: unknown) => root.render(<Splash error={error} />),
);
