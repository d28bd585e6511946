// Creates the e2e tenants through the operator API (idempotent: a 409 means they exist), and puts
// their branding back (the journey re-brands Acme), so the suite can run again on the same server.
import { ACME, GLOBEX, OPERATOR, api, login } from './helpers';

export default async function globalSetup() {
  const op = await login(null, OPERATOR.email, OPERATOR.password);
  for (const c of [ACME, GLOBEX]) {
    const r = await api(null, 'POST', '/operator/companies', {
      slug: c.slug,
      name: c.name,
      primary_color: c.primary,
      accent_color: c.accent,
      admin_email: c.admin.email,
      admin_password: c.admin.password,
    }, op);
    if (r.status !== 201 && r.status !== 200 && r.status !== 409) {
      throw new Error(`creating ${c.slug}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    if (r.status === 409) {
      const admin = await login(c.slug, c.admin.email, c.admin.password);
      await api(c.slug, 'PATCH', '/admin/company', { name: c.name, primary_color: c.primary, accent_color: c.accent }, admin);
      await api(c.slug, 'DELETE', '/company/logo', undefined, admin);
    }
  }
}
