import { Router, type RequestHandler } from 'express';
import { requireActor } from '../../http/auth.ts';
import { AppError, parseInput } from '../../features/errors.ts';
import { pathParams } from '../../features/validation.ts';
import type { FileService } from '../../features/files/fileService.ts';
import { API_UPLOAD_LIMITS, receiveOrRefuse, receivedUploads, removeScratch } from '../../http/uploads.ts';

const fileRequired = () => new AppError('bad_request', '请以 multipart 字段 "file" 上传一个文件 (upload a file as multipart field "file")', [{ path: 'file', rule: '必填 (required)' }]);

export function fileRoutes(files: FileService): Router {
  const router = Router();
  // who uploads is known before a byte reaches the disk
  const signedIn: RequestHandler = (_req, res, next) => {
    requireActor(res);
    next();
  };
  router.post('/', signedIn, receiveOrRefuse(API_UPLOAD_LIMITS), async (req, res) => {
    const actor = requireActor(res);
    try {
      const uploads = receivedUploads(req);
      const [upload] = uploads;
      if (!upload) throw fileRequired();
      if (upload.field !== 'file') throw new AppError('bad_request', `请使用字段 "file" (use the field "file")`, [{ path: upload.field, rule: '只接受字段 file (only the field "file")' }]);
      const [stored] = await files.keep(actor, uploads);
      res.status(201).json(stored);
    } finally {
      await removeScratch(req);
    }
  });
  router.get('/:id', async (req, res) => {
    const actor = requireActor(res);
    const id = parseInput(pathParams.fileId, req.params.id, 'id');
    const file = await files.read(actor, id);
    res.setHeader('content-type', file.mime);
    res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
    res.send(file.content);
  });
  return router;
}
