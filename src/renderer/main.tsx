import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createClient } from './api/connect';
import { ClientProvider } from './api/context';
import { ErrorBoundary } from './ui/ErrorBoundary';
import { ToastProvider } from './ui/Toasts';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <ClientProvider value={createClient()}>
        <ToastProvider>
          <App />
        </ToastProvider>
      </ClientProvider>
    </ErrorBoundary>
  </StrictMode>,
);
