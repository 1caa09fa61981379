import { Audit } from '../admin/Audit';
import { Health } from '../admin/Health';
import { Tokens } from '../admin/Tokens';
import { Users } from '../admin/Users';
import { useSession } from '../session';

/** Admins only: console users, API tokens, the audit log and the ACS's own health. */
export default function Administration() {
  const { can } = useSession();
  if (!can('listUsers')) {
    return (
      <>
        <h1>Administration</h1>
        <p role="alert">Only admins may see this page.</p>
      </>
    );
  }
  return (
    <>
      <h1>Administration</h1>
      <div className="admin-grid">
        <Users />
        <Tokens />
        <Health />
        <Audit />
      </div>
    </>
  );
}
