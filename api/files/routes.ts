import { Router } from 'express';
import multer from 'multer';
import { requireActor } from '../auth/middleware.ts';
import { AppError } from '../errors.ts';
import { MAX_FILE_BYTES, type FileService } from './fileService.ts';

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_FILE_BYTES, files: 1 } });

export function fileRoutes(files: FileService): Router {
  const router = Router();
  router.post('/', (req, res, next) => {
    upload.single('file')(req, res, (error: unknown) => {
      if (error) {
        const tooLarge = (error as { code?: string }).code === 'LIMIT_FILE_SIZE';
        return next(new AppError('bad_request', tooLarge ? `the file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` : 'upload a file as multipart field "file"', [{ path: 'file', rule: tooLarge ? 'at most 20 MB' : 'required' }]));
      }
      next();
    });
  }, async (req, res) => {
    const actor = requireActor(res);
    if (!req.file) throw new AppError('bad_request', 'upload a file as multipart field "file"', [{ path: 'file', rule: 'required' }]);
    // browsers send the name as latin1 bytes of UTF-8
    const name = Buffer.from(req.file.originalname, 'latin1').toString('utf8');
    res.status(201).json(await files.store(actor, { name, mime: req.file.mimetype, content: req.file.buffer }));
  });
  router.get('/:id', async (req, res) => {
    const file = await files.read(requireActor(res), req.params.id);
    res.setHeader('content-type', file.mime);
    res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
    res.send(file.content);
  });
  return router;
}
