/** The facts about a file this request streamed into storage. */
export interface StagedFacts {
  id: string;
  key: string;
  name: string;
  mimeType: string;
  size: number;
  sha256: string;
  width: number | null;
  height: number | null;
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
