import { useSignedIn } from '../../app/session.js';
import { DashboardPage } from '../../pages/DashboardPage.js';
import { PartnerHomePage } from './PartnerHomePage.js';

/** The page at `/`: a partner user's portal home, the dashboard for certifier staff. */
export function HomePage() {
  const session = useSignedIn();
  return session.user.role === 'partner' && session.user.organisationId ? (
    <PartnerHomePage />
  ) : (
    <DashboardPage />
  );
}
