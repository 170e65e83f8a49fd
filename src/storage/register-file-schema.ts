import { GraphQLError } from 'graphql';
import type { Builder, Context, FieldTypes } from '../schema/index.ts';
import { fileLoader } from './file-loader.ts';
import type { FileService } from './file-service.ts';
import { createImageVariants, type ImageTransform } from './image-variants.ts';
import { StagedUpload, UploadTokenInput } from './staged-upload.ts';
import type { StoredFileRow } from './stored-file.ts';

/** File fields read as `File` and write as `Upload` (the CRUD generator's field-type seam). */
export function fileFieldTypes(files: FileService): FieldTypes {
  return (model, field) => {
    const spec = files.fields.get(model.name, field.name);
    if (!spec) return undefined;
    return {
      output: 'File',
      list: spec.list,
      input: 'Upload',
      resolve: (value, context) => {
        const load = fileLoader(files, context as object);
        if (spec.list) return Array.isArray(value) ? Promise.all(value.filter((v) => typeof v === 'string').map(load)).then((rows) => rows.filter(Boolean)) : [];
        return typeof value === 'string' ? load(value) : null;
      },
    };
  };
}

/** `Upload`, `File`, `FileTransform`, `UploadTicket` and `createUploadUrl`. */
export function registerFileSchema(files: FileService) {
  const variantUrl = createImageVariants(files);
  return (builder: Builder) => {
    const b = builder as any;
    b.scalarType('Upload', {
      description:
        'A file: in a GraphQL multipart request (apollo-upload-client) the file itself; as a string, the `token` of a `createUploadUrl` ticket whose bytes were uploaded.',
      serialize: () => {
        throw new GraphQLError('Upload is an input type only.');
      },
      parseValue: (value: unknown) => {
        if (value instanceof StagedUpload) return value;
        if (typeof value === 'string') return new UploadTokenInput(value);
        throw new GraphQLError('Upload takes a file of a multipart request or an upload token string.');
      },
      parseLiteral: (node: { kind: string; value?: string }) => {
        if (node.kind === 'StringValue') return new UploadTokenInput(node.value!);
        throw new GraphQLError('Upload literals are upload token strings.');
      },
    });
    const fit = b.enumType('ImageFit', { values: ['cover', 'contain', 'fill', 'inside', 'outside'] as const });
    const format = b.enumType('ImageFormat', { values: ['webp', 'jpeg', 'png', 'avif'] as const });
    const transform = b.inputType('FileTransform', {
      description: 'An image variant: made once, cached in storage. Sides up to 4096; never enlarged.',
      fields: (t: any) => ({
        width: t.int(),
        height: t.int(),
        fit: t.field({ type: fit, description: '@default cover' }),
        format: t.field({ type: format, description: '@default webp' }),
        quality: t.int({ description: '1-100. @default 80' }),
      }),
    });
    b.objectRef('File').implement({
      description: 'A stored file. Its `url` is a signed link that expires; only viewers who can read the field get one.',
      fields: (t: any) => ({
        id: t.exposeID('id'),
        name: t.exposeString('name', { description: 'The uploader’s file name (a label; never a path).' }),
        mimeType: t.exposeString('mimeType', { description: 'Sniffed from the bytes, not the client’s claim.' }),
        size: t.exposeInt('size', { description: 'Bytes.' }),
        sha256: t.exposeString('sha256', { description: 'Hex SHA-256 of the bytes.' }),
        width: t.exposeInt('width', { nullable: true, description: 'Images only, recorded at upload.' }),
        height: t.exposeInt('height', { nullable: true }),
        createdAt: t.expose('createdAt', { type: 'DateTime' }),
        url: t.string({
          description: 'A signed link that works for `CAIRN_DOWNLOAD_URL_TTL` seconds; with `transform`, to an image variant.',
          args: { transform: t.arg({ type: transform }) },
          resolve: (row: StoredFileRow, args: { transform?: ImageTransform | null }) => (args.transform ? variantUrl(row, args.transform) : files.url(row)),
        }),
      }),
    });
    const ticket = b.objectRef('UploadTicket').implement({
      description: 'Where to send a large file. POST a form with `fields` then the file as `file` (S3), or PUT the bytes with `headers` (local); then pass `token` as the file field.',
      fields: (t: any) => ({
        token: t.exposeString('token'),
        url: t.string({ resolve: (p: any) => p.target.url }),
        method: t.string({ resolve: (p: any) => p.target.method }),
        fields: t.field({ type: 'JSON', resolve: (p: any) => p.target.fields }),
        headers: t.field({ type: 'JSON', resolve: (p: any) => p.target.headers }),
        expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
      }),
    });
    b.mutationField('createUploadUrl', (t: any) =>
      t.field({
        type: ticket,
        description: 'A short-lived signed target for one file of exactly `size` bytes, `mimeType` and `sha256`, for `model.field`; checked again when the token is attached.',
        args: {
          model: t.arg.string({ required: true }),
          field: t.arg.string({ required: true }),
          name: t.arg.string({ required: true }),
          size: t.arg.int({ required: true }),
          mimeType: t.arg.string({ required: true }),
          sha256: t.arg.string({ required: true }),
        },
        resolve: (_root: unknown, args: any, ctx: Context) => files.createTicket(ctx.viewer, args),
      }),
    );
  };
}
