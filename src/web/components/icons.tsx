import type { ReactNode, SVGProps } from 'react';

/**
 * The app's few line icons, drawn here (24×24 grid, 1.8 stroke, currentColor) so no icon package is
 * needed. Decorative: screen readers skip them, the text next to them says what they mean.
 */
type IconProps = Omit<SVGProps<SVGSVGElement>, 'children'> & { size?: number };

function BaseIcon({ size = 18, children, ...props }: IconProps & { children: ReactNode }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...props}
    >
      {children}
    </svg>
  );
}

export const IconDashboard = (props: IconProps) => (
  <BaseIcon {...props}>
    <rect x="3.5" y="3.5" width="7" height="8" rx="1.5" />
    <rect x="13.5" y="3.5" width="7" height="5" rx="1.5" />
    <rect x="13.5" y="11.5" width="7" height="9" rx="1.5" />
    <rect x="3.5" y="14.5" width="7" height="6" rx="1.5" />
  </BaseIcon>
);

export const IconCertificate = (props: IconProps) => (
  <BaseIcon {...props}>
    <rect x="3.5" y="4" width="17" height="12" rx="1.5" />
    <path d="M7 8h10M7 11.5h6" />
    <circle cx="16" cy="16" r="2.5" />
    <path d="M14.5 18l-.8 3.5 2.3-1.2 2.3 1.2-.8-3.5" />
  </BaseIcon>
);

export const IconRegistry = (props: IconProps) => (
  <BaseIcon {...props}>
    <ellipse cx="12" cy="5.5" rx="7.5" ry="2.5" />
    <path d="M4.5 5.5v6.5c0 1.4 3.4 2.5 7.5 2.5s7.5-1.1 7.5-2.5V5.5" />
    <path d="M4.5 12v6.5c0 1.4 3.4 2.5 7.5 2.5s7.5-1.1 7.5-2.5V12" />
  </BaseIcon>
);

export const IconNetwork = (props: IconProps) => (
  <BaseIcon {...props}>
    <circle cx="12" cy="5.5" r="2.5" />
    <circle cx="5" cy="18" r="2.5" />
    <circle cx="19" cy="18" r="2.5" />
    <path d="M10.8 7.7 6.2 15.8M13.2 7.7l4.6 8.1M7.5 18h9" />
  </BaseIcon>
);

export const IconShieldCheck = (props: IconProps) => (
  <BaseIcon {...props}>
    <path d="M12 3l7.5 3v5.5c0 4.5-3.2 8.3-7.5 9.5-4.3-1.2-7.5-5-7.5-9.5V6z" />
    <path d="m8.8 12 2.3 2.3 4.3-4.6" />
  </BaseIcon>
);

export const IconContract = (props: IconProps) => (
  <BaseIcon {...props}>
    <path d="M14 3.5H7a1.5 1.5 0 0 0-1.5 1.5v14A1.5 1.5 0 0 0 7 20.5h10a1.5 1.5 0 0 0 1.5-1.5V8z" />
    <path d="M14 3.5V8h4.5M8.5 12.5h7M8.5 16h4" />
  </BaseIcon>
);

export const IconCalendarUsers = (props: IconProps) => (
  <BaseIcon {...props}>
    <rect x="3.5" y="5" width="17" height="15" rx="1.5" />
    <path d="M3.5 9.5h17M8 3v4M16 3v4" />
    <circle cx="12" cy="13.5" r="1.8" />
    <path d="M8.8 18c.6-1.5 1.8-2.3 3.2-2.3s2.6.8 3.2 2.3" />
  </BaseIcon>
);

export const IconAward = (props: IconProps) => (
  <BaseIcon {...props}>
    <circle cx="12" cy="9" r="5.5" />
    <path d="m8.5 13.3-1.5 7.2 5-2.6 5 2.6-1.5-7.2" />
  </BaseIcon>
);

export const IconClipboardCheck = (props: IconProps) => (
  <BaseIcon {...props}>
    <rect x="5" y="4.5" width="14" height="16" rx="1.5" />
    <path d="M9 4.5V3.5h6v1M9 13l2 2 4-4.2" />
  </BaseIcon>
);

export const IconAlert = (props: IconProps) => (
  <BaseIcon {...props}>
    <path d="M12 4 2.8 19.5h18.4z" />
    <path d="M12 10v4.5M12 17.2v.1" />
  </BaseIcon>
);

export const IconInbox = (props: IconProps) => (
  <BaseIcon {...props}>
    <path d="M4 13.5 6.5 5h11l2.5 8.5" />
    <path d="M4 13.5V19h16v-5.5h-5a3 3 0 0 1-6 0z" />
  </BaseIcon>
);

export const IconMegaphone = (props: IconProps) => (
  <BaseIcon {...props}>
    <path d="M4 10v4h3l7 4.5V5.5L7 10z" />
    <path d="M7 14l1.2 5.5h2.3L10 15.5M17.5 9.5a3.5 3.5 0 0 1 0 5" />
  </BaseIcon>
);

export const IconArchiveLock = (props: IconProps) => (
  <BaseIcon {...props}>
    <rect x="3.5" y="4" width="17" height="4.5" rx="1" />
    <path d="M5 8.5v10.5a1.5 1.5 0 0 0 1.5 1.5h11a1.5 1.5 0 0 0 1.5-1.5V8.5" />
    <rect x="9.5" y="13" width="5" height="4" rx=".8" />
    <path d="M10.5 13v-1.2a1.5 1.5 0 0 1 3 0V13" />
  </BaseIcon>
);

export const IconFileSend = (props: IconProps) => (
  <BaseIcon {...props}>
    <path d="M13.5 3.5H7a1.5 1.5 0 0 0-1.5 1.5v14A1.5 1.5 0 0 0 7 20.5h10a1.5 1.5 0 0 0 1.5-1.5V8.5z" />
    <path d="M13.5 3.5v5h5" />
    <path d="M12 17.5v-6m-2.5 2.5L12 11.5l2.5 2.5" />
  </BaseIcon>
);

export const IconChart = (props: IconProps) => (
  <BaseIcon {...props}>
    <path d="M4 20.5h16" />
    <rect x="5.5" y="12" width="3" height="6" rx=".6" />
    <rect x="10.5" y="7" width="3" height="11" rx=".6" />
    <rect x="15.5" y="4" width="3" height="14" rx=".6" />
  </BaseIcon>
);

export const IconUsers = (props: IconProps) => (
  <BaseIcon {...props}>
    <circle cx="9" cy="8" r="3.3" />
    <path d="M3 19.5c.8-3.2 3.2-5 6-5s5.2 1.8 6 5" />
    <path d="M15.5 4.9a3.3 3.3 0 0 1 0 6.2M17.5 14.8c1.7.6 3 2.2 3.5 4.7" />
  </BaseIcon>
);

export const IconSearch = (props: IconProps) => (
  <BaseIcon {...props}>
    <circle cx="10.5" cy="10.5" r="6" />
    <path d="m15 15 5.5 5.5" />
  </BaseIcon>
);

export const IconPlus = (props: IconProps) => (
  <BaseIcon {...props}>
    <path d="M12 5v14M5 12h14" />
  </BaseIcon>
);

export const IconChevronDown = (props: IconProps) => (
  <BaseIcon {...props}>
    <path d="m6 9 6 6 6-6" />
  </BaseIcon>
);

export const IconChevronUp = (props: IconProps) => (
  <BaseIcon {...props}>
    <path d="m6 15 6-6 6 6" />
  </BaseIcon>
);

export const IconSelector = (props: IconProps) => (
  <BaseIcon {...props}>
    <path d="m8 9 4-4 4 4M8 15l4 4 4-4" />
  </BaseIcon>
);

export const IconArrowLeft = (props: IconProps) => (
  <BaseIcon {...props}>
    <path d="M19 12H5m6-6-6 6 6 6" />
  </BaseIcon>
);

export const IconLogout = (props: IconProps) => (
  <BaseIcon {...props}>
    <path d="M14 4.5H6.5a1.5 1.5 0 0 0-1.5 1.5v12a1.5 1.5 0 0 0 1.5 1.5H14" />
    <path d="M10 12h10m-3.5-3.5L20 12l-3.5 3.5" />
  </BaseIcon>
);

export const IconCheck = (props: IconProps) => (
  <BaseIcon {...props}>
    <path d="m5 12.5 4.5 4.5L19 7.5" />
  </BaseIcon>
);

export const IconInfo = (props: IconProps) => (
  <BaseIcon {...props}>
    <circle cx="12" cy="12" r="8.5" />
    <path d="M12 11v5.5M12 7.8v.1" />
  </BaseIcon>
);

export const IconTools = (props: IconProps) => (
  <BaseIcon {...props}>
    <path d="M14.5 6.5a4 4 0 0 0 5 5L12 19a2.1 2.1 0 0 1-3-3z" />
    <path d="m4 4 5 5M3.5 7.5l4-4" />
  </BaseIcon>
);

export const IconLink = (props: IconProps) => (
  <BaseIcon {...props}>
    <path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1" />
    <path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />
  </BaseIcon>
);

/** The Habilis mark: a shield with a check, on the brand colour. */
export function LogoMark({ size = 30 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill="var(--mantine-color-indigo-7)" />
      <path
        d="M16 6.5l7.5 3v5.6c0 4.6-3.2 8.5-7.5 9.9-4.3-1.4-7.5-5.3-7.5-9.9V9.5z"
        fill="none"
        stroke="#fff"
        strokeWidth="1.9"
        strokeLinejoin="round"
      />
      <path
        d="m12.6 15.8 2.4 2.4 4.6-4.9"
        fill="none"
        stroke="#fff"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
