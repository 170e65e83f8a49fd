/** A row of the app's hidden `StoredFile` model (README "Files" lists the fields to declare). */
export interface StoredFileRow {
  id: string;
  /** Where the bytes are in storage (`files/<id>`). */
  key: string;
  name: string;
  /** Sniffed from the bytes. */
  mimeType: string;
  size: number;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  width: number | null;
  height: number | null;
  /** The file field it was uploaded for, e.g. `Post` and `cover`. */
  model: string;
  field: string;
  /** The viewer who uploaded it (or asked for the upload URL). */
  ownerId: string | null;
  /** `ticket` (createUploadUrl, bytes maybe not there yet), `pending` (stored, write not committed yet), `attached`. */
  status: 'ticket' | 'pending' | 'attached';
  /** A ticket's deadline for the upload. */
  expiresAt: Date | null;
  createdAt: Date;
}

/** The declaration apps paste into schema.prisma (quoted by the boot error when it is missing). */
export const storedFileModel = `/// Files uploaded to Cairn's storage: metadata here, the bytes in the storage driver.
/// @hidden
model StoredFile {
  id        String    @id
  key       String
  name      String
  mimeType  String
  size      Int
  sha256    String
  width     Int?
  height    Int?
  model     String
  field     String
  ownerId   String?
  status    String    @default("pending")
  expiresAt DateTime?
  createdAt DateTime  @default(now())

  @@index([status, createdAt])
}`;
