import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import type { Contract, OutputOf } from '../../../core/api';
import type { ClientError } from '../../api/client';
import { useClient, useQuery } from '../../api/context';
import { splitError, type FieldErrors } from '../../forms/errors';
import { formatDateTime } from '../../forms/format';
import { PasswordPolicy } from '../../session/PasswordPolicy';
import { ROLE_LABEL, ROLE_SUMMARY, can, type Role } from '../../session/roles';
import { useSession } from '../../session/SessionProvider';
import { Button } from '../../ui/Button';
import { CheckboxField, Field, Form } from '../../ui/Form';
import { Dialog } from '../../ui/Dialog';
import { ErrorNotice } from '../../ui/Notice';
import { Table } from '../../ui/Table';
import { useToast } from '../../ui/Toasts';

type User = OutputOf<Contract['users.list']>['users'][number];
const ROLES = Object.keys(ROLE_LABEL) as Role[];

function RolePicker({
  value,
  onChange,
  error,
}: {
  value: Role[];
  onChange: (roles: Role[]) => void;
  error?: string;
}) {
  return (
    <fieldset className="group">
      <legend>Roles</legend>
      {ROLES.map((role) => (
        <CheckboxField
          key={role}
          label={ROLE_LABEL[role]}
          hint={ROLE_SUMMARY[role]}
          checked={value.includes(role)}
          onChange={(e) => onChange(e.target.checked ? [...value, role] : value.filter((r) => r !== role))}
        />
      ))}
      {error ? <small className="field-error">{error}</small> : null}
    </fieldset>
  );
}

/** People and roles: administrators add staff, change roles, deactivate, reset passwords, lift lockouts. */
export function Users() {
  const client = useClient();
  const session = useSession();
  const toast = useToast();
  const users = useQuery('users.list', {});
  const manage = can.manageUsers(session.principal);
  const [adding, setAdding] = useState({
    username: '',
    displayName: '',
    password: '',
    roles: ['technician'] as Role[],
  });
  const [addErrors, setAddErrors] = useState<FieldErrors>({});
  const [addError, setAddError] = useState<ClientError | null>(null);
  const [policyOk, setPolicyOk] = useState(false);
  const [editing, setEditing] = useState<User>();
  const [editRoles, setEditRoles] = useState<Role[]>([]);
  const [editName, setEditName] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [editError, setEditError] = useState<ClientError | null>(null);

  const add = async () => {
    setAddError(null);
    if (!policyOk) {
      setAddErrors({ password: 'Choose an initial password that meets the policy.' });
      return;
    }
    try {
      const user = await client.call('users.create', {
        username: adding.username.trim(),
        displayName: adding.displayName.trim(),
        roles: adding.roles,
        password: adding.password,
      });
      toast('success', `${user.displayName} can now sign in as ${user.username}.`);
      setAdding({ username: '', displayName: '', password: '', roles: ['technician'] });
      setAddErrors({});
      users.reload();
    } catch (failure) {
      const split = splitError(failure, {
        ruleFields: { 'unique-username': 'username', 'password-policy': 'password' },
      });
      setAddErrors(split.fields);
      setAddError(split.general);
    }
  };

  const run = async (work: () => Promise<unknown>, done: string) => {
    setEditError(null);
    try {
      await work();
      toast('success', done);
      setEditing(undefined);
      users.reload();
      void session.refresh();
    } catch (failure) {
      setEditError(splitError(failure).general);
    }
  };

  const columns: ColumnDef<User, unknown>[] = [
    { header: 'Username', accessorKey: 'username' },
    { header: 'Printed name', accessorKey: 'displayName' },
    { header: 'Roles', id: 'roles', accessorFn: (u) => u.roles.map((r) => ROLE_LABEL[r]).join(', ') },
    {
      header: 'State',
      id: 'state',
      accessorFn: (u) => (!u.active ? 'inactive' : u.lockedUntil ? 'locked' : 'active'),
      cell: (c) => {
        const u = c.row.original;
        if (!u.active) return <span className="pill pill-bad">inactive</span>;
        if (u.lockedUntil)
          return <span className="pill pill-wait">locked until {formatDateTime(u.lockedUntil, 'time')}</span>;
        return <span className="pill pill-ok">active</span>;
      },
    },
    {
      header: 'Since',
      accessorKey: 'createdAt',
      cell: (c) => formatDateTime(c.row.original.createdAt, 'numeric'),
    },
    {
      header: '',
      id: 'edit',
      enableSorting: false,
      cell: (c) =>
        manage ? (
          <Button
            variant="ghost"
            onClick={() => {
              setEditing(c.row.original);
              setEditRoles(c.row.original.roles);
              setEditName(c.row.original.displayName);
              setNewPassword('');
              setEditError(null);
            }}
          >
            Edit…
          </Button>
        ) : null,
    },
  ];

  return (
    <>
      {users.status === 'error' ? <ErrorNotice error={users.error} /> : null}
      {users.status === 'ok' ? (
        <Table caption="People" columns={columns} data={users.data.users} empty="Nobody yet." />
      ) : null}
      {manage ? (
        <section className="panel" aria-labelledby="add-person">
          <h2 id="add-person">Add a person</h2>
          <Form onSubmit={add} label="Add a person">
            <Field
              label="Username"
              autoCapitalize="none"
              value={adding.username}
              onChange={(e) => setAdding({ ...adding, username: e.target.value.toLowerCase() })}
              error={addErrors.username}
            />
            <Field
              label="Printed name"
              value={adding.displayName}
              onChange={(e) => setAdding({ ...adding, displayName: e.target.value })}
              hint="Shown beside this person’s electronic signatures."
              error={addErrors.displayName}
            />
            <RolePicker
              value={adding.roles}
              onChange={(roles) => setAdding({ ...adding, roles })}
              error={addErrors.roles}
            />
            <Field
              label="Initial password"
              type="password"
              autoComplete="new-password"
              value={adding.password}
              onChange={(e) => setAdding({ ...adding, password: e.target.value })}
              error={addErrors.password}
            />
            <PasswordPolicy candidate={adding.password} username={adding.username} onVerdict={setPolicyOk} />
            {addError ? <ErrorNotice error={addError} /> : null}
            <div className="form-actions">
              <Button
                variant="primary"
                type="submit"
                disabled={!adding.username || !adding.displayName || adding.roles.length === 0}
              >
                Add person
              </Button>
            </div>
          </Form>
        </section>
      ) : null}
      <Dialog
        open={editing !== undefined}
        title={editing ? `${editing.displayName} (${editing.username})` : ''}
        onClose={() => setEditing(undefined)}
        actions={<Button onClick={() => setEditing(undefined)}>Close</Button>}
      >
        {editing ? (
          <div className="form">
            <Field label="Printed name" value={editName} onChange={(e) => setEditName(e.target.value)} />
            <RolePicker value={editRoles} onChange={setEditRoles} />
            <div className="form-actions">
              <Button
                variant="primary"
                disabled={editRoles.length === 0 || !editName.trim()}
                onClick={() =>
                  run(
                    () =>
                      client.call('users.update', {
                        userId: editing.userId,
                        displayName: editName.trim(),
                        roles: editRoles,
                      }),
                    'Saved.',
                  )
                }
              >
                Save name and roles
              </Button>
              <Button
                onClick={() =>
                  run(
                    () => client.call('users.update', { userId: editing.userId, active: !editing.active }),
                    editing.active
                      ? `${editing.displayName} can no longer sign in.`
                      : `${editing.displayName} can sign in again.`,
                  )
                }
              >
                {editing.active ? 'Deactivate' : 'Reactivate'}
              </Button>
              {editing.lockedUntil ? (
                <Button
                  onClick={() =>
                    run(
                      () => client.call('users.unlockAccount', { userId: editing.userId }),
                      'Lockout lifted.',
                    )
                  }
                >
                  Lift lockout
                </Button>
              ) : null}
            </div>
            <Field
              label="New password (for someone who forgot theirs)"
              type="password"
              autoComplete="new-password"
              value={newPassword}
              onChange={(e) => setNewPassword(e.target.value)}
            />
            <PasswordPolicy candidate={newPassword} username={editing.username} />
            <div className="form-actions">
              <Button
                disabled={!newPassword}
                onClick={() =>
                  run(
                    () => client.call('users.resetPassword', { userId: editing.userId, newPassword }),
                    'Password reset; any lockout is lifted.',
                  )
                }
              >
                Reset password
              </Button>
            </div>
            {editError ? <ErrorNotice error={editError} /> : null}
          </div>
        ) : null}
      </Dialog>
    </>
  );
}
