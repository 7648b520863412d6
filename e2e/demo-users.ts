/** The demo users seeded on first start and the password the e2e server is started with. */
export const DEMO_PASSWORD = process.env.E2E_DEMO_PASSWORD ?? "e2e-demo-password-1";

export interface DemoUser {
  email: string;
  role: string;
  /** Navigation entries this user must see. */
  sees: string[];
  /** Navigation entries this user must not see. */
  hidden: string[];
}

/** The platform admin: sees every organization and every page. */
export const PLATFORM_ADMIN_EMAIL = "admin@example.com";
