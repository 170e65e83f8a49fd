// The example app's own code (a blog): what Cairn runs beside the API generated from
// prisma/schema.prisma beside it. Cairn loads this file at boot (CAIRN_FUNCTIONS; by default
// functions/index.ts next to the schema's prisma/ folder).
import { badInput, defineFunctions, notFound } from '../../../src/extend/index.ts';

export default defineFunctions({
  schema(builder) {
    builder.mutationField('publishPost', (t) =>
      t.prismaField({
        type: 'Post',
        auth: 'signedIn',
        description: 'Publishes a draft of yours (at least 20 characters of body) and e-mails your followers.',
        args: { id: t.arg.int({ required: true }) },
        resolve: async (query, _root, { id }, ctx) => {
          // ctx.db enforces the schema's rules: a post the viewer may not see is simply absent,
          // and the update below is refused unless the viewer is its author or an admin.
          const post = await ctx.db.post.findUnique({ where: { id } });
          if (!post) throw notFound(`publishPost: no post ${id}`);
          if (post.status !== 'DRAFT') throw badInput(`publishPost: post ${id} is ${post.status}; only drafts are published`);
          if (post.body.trim().length < 20) throw badInput('publishPost: a post needs a body of at least 20 characters');
          return ctx.db.$transaction(async (raw) => {
            const tx = raw as typeof ctx.db;
            const published = await tx.post.update({ ...query, where: { id }, data: { status: 'PUBLISHED', publishedAt: new Date() } });
            // Enqueued in the same transaction: no e-mail for a publish that rolls back; the key
            // makes a retried mutation notify once.
            await ctx.jobs.within(tx.sudo()).enqueue('notifyFollowers', { postId: id }, { key: `post-published:${id}` });
            // In-app and push for the author's followers, but only those the rules let read the
            // post (judged when the job runs); the key makes it once per follower.
            const followers = await tx.sudo().follow.findMany({ where: { followingId: post.authorId }, select: { followerId: true } });
            await ctx.notify.within(tx)({
              to: { readersOf: { model: 'Post', where: { id } }, among: { users: followers.map((f: { followerId: number }) => f.followerId) } },
              type: 'post.published',
              title: post.title,
              body: post.body.slice(0, 140),
              url: `/posts/${id}`,
              key: `post-published:${id}`,
            });
            return published;
          });
        },
      }),
    );
  },

  // Notification types: their default channels; users switch channels off per type (critical ones excepted).
  notifications: {
    'post.published': { channels: ['inApp', 'push'], description: 'A writer you follow published a post' },
    'chat.message': { channels: ['inApp', 'push'], description: 'A new message in one of your conversations' },
    'security.alert': { channels: ['inApp', 'push', 'email'], critical: true, description: 'Sign-ins and changes to your account' },
  },

  hooks: {
    Message: {
      // A chat message reaches the conversation's other members: an inbox entry (and
      // notificationAdded) for each, a push only for those offline. Online means an open
      // subscription or live query on any instance, so a member with the app open is not buzzed.
      afterCreate: async (change, ctx) => {
        const message = change.after as { id: number; body: string; conversationId: number; authorId: number };
        const conversation = await ctx.db.conversation.findUnique({ where: { id: message.conversationId }, select: { title: true, members: { select: { userId: true } } } });
        if (!conversation) return;
        const author = await ctx.db.user.findUnique({ where: { id: message.authorId }, select: { name: true, email: true } });
        const others = conversation.members.map((m: { userId: number }) => m.userId).filter((id: number) => id !== message.authorId);
        if (!others.length) return;
        await ctx.notify({
          // Only members who may read the message (the Message rules), among the other members.
          to: { readersOf: { model: 'Message', where: { id: message.id } }, among: { users: others } },
          type: 'chat.message',
          title: `${author?.name ?? author?.email ?? 'Someone'} in ${conversation.title}`,
          body: message.body.slice(0, 140),
          url: `/conversations/${message.conversationId}`,
          data: { conversationId: String(message.conversationId), messageId: String(message.id) },
          key: `chat-message:${message.id}`,
          push: 'offline',
        });
      },
    },
    User: {
      // After sign-up commits (at least once, outside the request): the welcome mail, once per user.
      afterCreate: (change, ctx) => ctx.jobs.enqueue('sendWelcomeEmail', { userId: change.key.id }, { key: `welcome:${change.key.id}` }),
    },
  },

  jobs: {
    sendWelcomeEmail: {
      retries: 5,
      handler: async ({ payload }, ctx) => {
        const user = await ctx.db.user.findUnique({ where: { id: (payload as { userId: number }).userId } });
        if (!user) return;
        await ctx.mail.send({ to: user.email, subject: 'Welcome to the blog', text: `Hi ${user.name ?? 'there'}, thanks for signing up.` });
      },
    },
    notifyFollowers: {
      concurrency: 2,
      handler: async ({ payload }, ctx) => {
        const post = await ctx.db.post.findUnique({ where: { id: (payload as { postId: number }).postId }, include: { author: true } });
        if (!post || post.status !== 'PUBLISHED') return;
        const follows = await ctx.db.follow.findMany({ where: { followingId: post.authorId }, include: { follower: true } });
        for (const { follower } of follows) {
          await ctx.mail.send({ to: follower.email, subject: `New post by ${post.author.name ?? post.author.email}`, text: post.title });
        }
      },
    },
  },

  schedules: {
    // 03:00 UTC every night, once across all instances.
    nightlyCleanup: {
      cron: '0 3 * * *',
      handler: async (_run, ctx) => {
        const now = new Date();
        await ctx.db.session.deleteMany({ where: { expiresAt: { lt: now } } });
        await ctx.db.authToken.deleteMany({ where: { expiresAt: { lt: now } } });
      },
    },
  },
});
