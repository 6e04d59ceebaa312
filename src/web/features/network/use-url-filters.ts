import { useSearchParams } from 'react-router-dom';

/**
 * A list's filters kept in the address (bookmarkable, shareable, kept on reload). `update` sets or
 * removes parameters and, unless told otherwise, goes back to the first page.
 */
export function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  const update = (changes: Record<string, string | null>, resetPage = true) => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value === null || value === '') next.delete(key);
          else next.set(key, value);
        }
        if (resetPage) next.delete('page');
        return next;
      },
      { replace: true },
    );
  };
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  return { params, update, page };
}

/** The value of `raw` when it is one of `allowed`, else undefined. */
export function oneOf<T extends string>(allowed: readonly T[], raw: string | null): T | undefined {
  return (allowed as readonly (string | null)[]).includes(raw) ? (raw as T) : undefined;
}
