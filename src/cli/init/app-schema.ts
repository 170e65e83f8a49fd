/** The schema.prisma `cairn init` writes: Cairn's auth models, one starter model with rules, comments. */
export const appSchema = `// Your app's data model. Cairn serves a GraphQL API for every model in this file.
//   npx cairn dev        serve it, regenerating and reloading on every save
//   npx cairn rules      print who may do what (the /// @@allow lines below)
// Generator blocks are optional: Cairn adds its own. The provider is the development default;
// DATABASE_URL=postgresql://… runs the same schema on PostgreSQL (see prisma/migrations/).

datasource db {
  provider = "sqlite"
}

// ── Sign-in ──────────────────────────────────────────────────────────────────────────────────
// Cairn's auth (signUp, signIn, sessions, OAuth, API tokens, password reset) uses the four models
// below. Keep the fields it needs as they are; add your own fields to User (optional, or with a
// default, so sign-up can create the row). Remove all four to serve an API without sign-in.

/// Someone who can sign in.
/// @@allow("read", auth().id == id || "admin" in auth().roles)
/// @@allow("update", auth().id == id || "admin" in auth().roles)
/// @@allow("create,delete", "admin" in auth().roles)
model User {
  id            Int         @id @default(autoincrement())
  /// Trimmed and lower-cased by sign-up and sign-in.
  email         String      @unique
  /// argon2id; null for users who only sign in through OAuth.
  /// @hidden
  passwordHash  String?
  /// Comma-separated, e.g. "user,admin".
  /// @allow("update", "admin" in auth().roles)
  roles         String      @default("user")
  /// @allow("update", "admin" in auth().roles)
  emailVerified Boolean     @default(false)
  /// Filled by signUp(name) and OAuth.
  name          String?
  createdAt     DateTime    @default(now())
  sessions      Session[]
  accounts      Account[]
  authTokens    AuthToken[]
  notes         Note[]
}

/// A signed-in browser or client; the id is the SHA-256 of the session token.
/// @hidden
model Session {
  id        String   @id
  userId    Int
  user      User     @relation(fields: [userId], references: [id], onDelete: Cascade)
  expiresAt DateTime
  createdAt DateTime @default(now())
  userAgent String?
  ip        String?

  @@index([userId])
}

/// An OAuth identity (GitHub, Google, OpenID Connect) linked to a user.
/// @hidden
model Account {
  id                Int      @id @default(autoincrement())
  provider          String
  providerAccountId String
  userId            Int
  user              User     @relation(fields: [userId], references: [id], onDelete: Cascade)
  createdAt         DateTime @default(now())

  @@unique([provider, providerAccountId])
  @@index([userId])
}

/// API tokens and one-time tokens (password reset, e-mail verification); the id is the SHA-256 of the token.
/// @hidden
model AuthToken {
  id         String    @id
  /// "api", "password_reset" or "email_verification".
  kind       String
  userId     Int
  user       User      @relation(fields: [userId], references: [id], onDelete: Cascade)
  name       String?
  email      String?
  expiresAt  DateTime?
  lastUsedAt DateTime?
  createdAt  DateTime  @default(now())

  @@index([userId, kind])
}

// ── Your models ──────────────────────────────────────────────────────────────────────────────
// A starting point: replace it with your own. Access is denied until a rule allows it:
//   /// @@allow("read", true)                      anyone, signed in or not
//   /// @@allow("create", auth() != null)          any signed-in user
//   /// @@allow("update,delete", auth().id == ownerId)
//   /// @@deny("delete", published)                a deny wins over every allow
//   /// @allow("update", "admin" in auth().roles)  on a field: who may read or change it
// While prototyping, /// @@allow("all", true) opens a model completely.

/// A note its owner writes; published notes are public.
/// @@allow("read", published || auth().id == ownerId)
/// @@allow("create,update,delete", auth().id == ownerId)
model Note {
  id        Int      @id @default(autoincrement())
  title     String
  body      String   @default("")
  published Boolean  @default(false)
  createdAt DateTime @default(now())
  updatedAt DateTime @updatedAt
  ownerId   Int
  owner     User     @relation(fields: [ownerId], references: [id], onDelete: Cascade)

  @@index([ownerId])
}
`;
