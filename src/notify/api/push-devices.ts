import { randomUUID } from 'node:crypto';
import type { DbClient, Provider } from '../../db/index.ts';
import { CairnError, forbidden, notFound } from '../../errors.ts';
import type { PushPlatform } from '../push-provider.ts';
import { validatePushDevice, type DeviceRules, type PushDeviceInput } from './validate-push-device.ts';

/** A device as its owner sees it (no address, no keys: those stay on the server). */
export interface PushDeviceView {
  id: string;
  platform: PushPlatform;
  name: string | null;
  createdAt: Date;
  lastSentAt: Date | null;
}

export interface PushDevicesOptions extends DeviceRules {
  /** The trusted client (rules off, changes captured): devices are hidden, Cairn checks ownership itself. */
  db: DbClient;
  provider: Provider;
  /** CAIRN_MAX_PUSH_DEVICES: devices one user may register. */
  maxPerUser: number;
}

export type PushDevices = ReturnType<typeof createPushDevices>;

const view = { id: true, platform: true, name: true, createdAt: true, lastSentAt: true } as const;

/** Registering, listing and removing the signed-in user's push devices. */
export function createPushDevices(options: PushDevicesOptions) {
  const { db, maxPerUser } = options;
  return {
    /**
     * Stores the device for `userId`, bound to `sessionId`. An address already registered moves to
     * this user and session (a browser signed in as someone else must stop receiving the first
     * user's pushes); a new one counts against the per-user cap, checked under a per-user lock so
     * concurrent registrations cannot pass it together.
     */
    async register(userId: string | number, sessionId: string, input: PushDeviceInput): Promise<PushDeviceView> {
      const device = validatePushDevice(input, options);
      return db.$transaction(async (tx: DbClient) => {
        if (options.provider === 'postgresql') await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(7431, hashtext($1::text))', `push-devices:${userId}`);
        // The session must be the user's own: an admin acting as someone (x-cairn-run-as) would
        // otherwise bind that user's pushes to the admin's browser.
        const session = await tx.session.findUnique({ where: { id: sessionId }, select: { userId: true } });
        if (!session || String(session.userId) !== String(userId)) throw forbidden('registerPushDevice: the session of this request is not the signed-in user\'s own (acting as another user?)');
        const existing = await tx.pushDevice.findUnique({ where: { address: device.address }, select: { id: true, userId: true } });
        const data = { sessionId, platform: device.platform, keys: device.keys, name: device.name };
        if (existing && String(existing.userId) === String(userId)) {
          return tx.pushDevice.update({ where: { id: existing.id }, data, select: view });
        }
        const count = await tx.pushDevice.count({ where: { userId } });
        if (count >= maxPerUser) {
          throw new CairnError('BAD_USER_INPUT', `registerPushDevice: this user already has ${count} push devices, the most allowed (CAIRN_MAX_PUSH_DEVICES); unregister one first (myPushDevices).`, {
            limit: 'maxPushDevices',
            max: maxPerUser,
            value: count + 1,
          });
        }
        // Another user's device: it leaves their list (a new id, so their old id is simply gone).
        if (existing) await tx.pushDevice.delete({ where: { id: existing.id } });
        return tx.pushDevice.create({ data: { id: randomUUID(), userId, address: device.address, ...data }, select: view });
      });
    },

    list: (userId: string | number): Promise<PushDeviceView[]> =>
      db.pushDevice.findMany({ where: { userId }, select: view, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] }),

    /** NOT_FOUND for an unknown id and for another user's alike, so ids cannot be probed. */
    async unregister(userId: string | number, id: string): Promise<boolean> {
      const { count } = await db.pushDevice.deleteMany({ where: { id: String(id), userId } });
      if (!count) throw notFound('unregisterPushDevice: no push device of yours has this id.', { argument: 'id' });
      return true;
    },
  };
}
