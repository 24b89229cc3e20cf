// Hash routing (#/strategies/abc): the service serves one index.html, so no server-side route table is needed.
import { useEffect, useState } from 'react';

export function currentPath(): string {
  const h = location.hash.replace(/^#/, '');
  return h.startsWith('/') ? h : '/dashboard';
}

export function navigate(path: string): void {
  location.hash = path;
}

export function useRoute(): string[] {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const on = () => setPath(currentPath());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return path.split('?')[0]!.split('/').filter(Boolean).map(decodeURIComponent);
}
