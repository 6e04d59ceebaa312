import { type RefObject, useEffect, useState } from 'react';

/**
 * After a refused submit, brings the first invalid input into view and focuses it, so the person sees
 * what to fix even when the button was at the bottom of a long form. Call the returned function each
 * time a submit is refused (by the browser's check or by the server).
 */
export function useFocusFirstError(form: RefObject<HTMLElement | null>): () => void {
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (round === 0) return;
    const invalid = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (!invalid) return;
    invalid.scrollIntoView({ block: 'center' });
    invalid.focus({ preventScroll: true });
  }, [round, form]);
  return () => setRound((r) => r + 1);
}
