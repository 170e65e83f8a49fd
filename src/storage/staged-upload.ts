import type { StoredFileRow } from './stored-file.ts';

/** The facts about a file this request streamed into storage: its StoredFile columns so far. */
export interface StagedFacts extends Pick<StoredFileRow, 'id' | 'key' | 'name' | 'mimeType' | 'size' | 'sha256' | 'width' | 'height'> {
  /** The file fields (`Post.cover`) whose limits and `accept` it was checked against while streaming. */
  checkedFor: ReadonlySet<string>;
}

/** What a file field's input received: a file this request streamed into storage. */
export class StagedUpload {
  readonly facts: StagedFacts;
  /** Set once a write took it; what is still unclaimed when the response is sent is deleted. */
  claimed = false;
  constructor(facts: StagedFacts) {
    this.facts = facts;
  }
}

/** What a file field's input received as a string: the token of a `createUploadUrl` ticket. */
export class UploadTokenInput {
  readonly token: string;
  constructor(token: string) {
    this.token = token;
  }
}

export type FileInput = StagedUpload | UploadTokenInput;
