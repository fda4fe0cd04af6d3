import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { Readable } from 'node:stream';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AsyncQuery, DbIntPipe, DomainError, OperationStartedDto } from '@app/core';
import { AuthUser, CurrentUser, MinRole, UnitScope } from '@app/auth';
import {
  CreateUnitDto,
  DissolveResultDto,
  DissolveUnitDto,
  LineageDto,
  MergeResultDto,
  MergeUnitsDto,
  ReorgService,
  ImportResultDto,
  ListUnitsQuery,
  RawUnitRow,
  readCsv,
  readJsonArray,
  readXlsx,
  UnitDto,
  UnitImportService,
  UnitPageDto,
  UnitsService,
  UpdateUnitDto,
} from '@app/org';
import { StreamedJsonBody } from '../http/json-body';

export const UNIT_IMPORT_PATH = '/api/units/import';

@ApiTags('units')
@ApiBearerAuth()
@Controller('api/units')
export class UnitsController {
  constructor(
    private readonly units: UnitsService,
    private readonly importer: UnitImportService,
    private readonly reorg: ReorgService,
  ) {}

  /**
   * Upserts units by code from a JSON array, or a CSV/XLSX upload (multipart field "file") with the
   * columns code,name,tier,parentCode,contactEmails,congressType,pilot,committeeName (congressType, pilot: empty keeps the
   * stored value; a column left out keeps it). All or nothing: 400 lists every bad row.
   */
  @Post('import')
  @MinRole('admin')
  @HttpCode(200)
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({
    schema: {
      oneOf: [
        { type: 'array', items: { type: 'object' } },
        { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
      ],
    },
  })
  @ApiOkResponse({ type: ImportResultDto })
  @ApiAcceptedResponse({ type: OperationStartedDto, description: 'with ?async=true: the import goes on in the background' })
  async import(
    @Req() req: FastifyRequest,
    @CurrentUser() user: AuthUser,
    @Query() query: AsyncQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportResultDto | OperationStartedDto> {
    const actor = { userId: user.id, unitPath: user.unitPath };
    const started = (operationId: number) => {
      reply.status(202);
      return { operationId, status: 'running' as const };
    };
    if (req.isMultipart()) {
      const file = await req.file().catch((error: unknown) => {
        // A multipart content type whose body is not multipart (no boundary, a JSON body…).
        if (error instanceof DomainError) throw error;
        throw uploadError(error);
      });
      if (!file) throw DomainError.validation([{ field: 'file', reason: 'upload a CSV or XLSX file in the field "file"' }]);
      const isXlsx = /\.xlsx$/i.test(file.filename) || file.mimetype.includes('spreadsheetml');
      const isCsv = /\.csv$/i.test(file.filename) || /csv|text\/plain/.test(file.mimetype);
      if (!isXlsx && !isCsv) throw DomainError.validation([{ field: 'file', reason: 'must be a .csv or .xlsx file' }]);
      const read = isXlsx ? readXlsx : readCsv;
      if (!query.async) return this.importer.import(read(file.file), user.unitPath);
      // The request ends before the work does: keep the upload (within the route's limit) for it.
      const buffer = await file.toBuffer().catch((error: unknown) => {
        throw uploadError(error);
      });
      return started(await this.importer.importInBackground(() => read(Readable.from([buffer])), actor));
    }
    // A JSON array, streamed element by element (see streamJsonBodies); read only now, after the guards.
    if (req.body instanceof StreamedJsonBody) {
      const { stream, limitBytes } = req.body;
      if (!query.async) return this.importer.import(readJsonArray(stream, limitBytes), user.unitPath, true);
      // The request ends before the work does: keep the body as it came (within the route's limit,
      // as the multipart upload above), read through once now so that a malformed array is a 400
      // here, and parsed again by the background work, never held as 300,000 objects.
      const chunks: Buffer[] = [];
      for await (const _row of readJsonArray(keepChunks(stream, chunks), limitBytes)) {
        // each element is checked and dropped
      }
      return started(await this.importer.importInBackground(() => readJsonArray(Readable.from(chunks), limitBytes), actor, true));
    }
    if (!Array.isArray(req.body)) {
      throw DomainError.validation([{ field: 'body', reason: 'must be a JSON array of units, or a multipart CSV/XLSX upload' }]);
    }
    const rows = req.body as RawUnitRow[];
    if (!query.async) return this.importer.import(rows, user.unitPath, true);
    return started(await this.importer.importInBackground(() => rows, actor, true));
  }

  /**
   * Merges units (one transaction): each source is closed as `merged` with `successorId`, its open
   * steps become `closed`, its active children move under the target (an existing unit, or a new one
   * created here with the active plan's steps), and the lineage records the decision. An admin of a
   * strict ancestor of every source, whose scope holds the target's parent.
   */
  @Post('merge')
  @MinRole('admin')
  @HttpCode(200)
  merge(@Body() dto: MergeUnitsDto, @CurrentUser() user: AuthUser): Promise<MergeResultDto> {
    return this.reorg.merge(dto, user);
  }

  /**
   * Dissolves a unit: closed as `dissolved`, its open steps `closed`; its active children move under
   * `moveChildrenTo` (409 CONFLICT when it has some and no `moveChildrenTo` is given).
   */
  @Post(':id/dissolve')
  @MinRole('admin')
  @UnitScope({ param: 'id' })
  @HttpCode(200)
  dissolve(@Param('id', DbIntPipe) id: number, @Body() dto: DissolveUnitDto, @CurrentUser() user: AuthUser): Promise<DissolveResultDto> {
    return this.reorg.dissolve(id, dto, user);
  }

  /** Which units were merged into this one, and which unit it was merged into, with the decisions. */
  @Get(':id/lineage')
  @UnitScope({ param: 'id' })
  lineage(@Param('id', DbIntPipe) id: number): Promise<LineageDto> {
    return this.reorg.lineage(id);
  }

  @Post()
  @MinRole('admin')
  @UnitScope({ body: 'parentId' })
  create(@Body() dto: CreateUnitDto): Promise<UnitDto> {
    return this.units.create(dto);
  }

  /** Units in the caller's subtree, filtered and paged. */
  @Get()
  @UnitScope({ query: 'parentId' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListUnitsQuery): Promise<UnitPageDto> {
    return this.units.list(user.unitPath, query);
  }

  @Get(':id')
  @UnitScope({ param: 'id' })
  get(@Param('id', DbIntPipe) id: number): Promise<UnitDto> {
    return this.units.get(id);
  }

  @Patch(':id')
  @MinRole('editor')
  @UnitScope({ param: 'id' })
  update(@Param('id', DbIntPipe) id: number, @Body() dto: UpdateUnitDto, @CurrentUser() user: AuthUser): Promise<UnitDto> {
    return this.units.update(id, dto, user);
  }
}

/** The chunks of a stream as they pass, kept in `into`. */
async function* keepChunks(stream: AsyncIterable<Buffer>, into: Buffer[]): AsyncIterable<Buffer> {
  for await (const chunk of stream) {
    into.push(chunk);
    yield chunk;
  }
}

/** A multipart stream that could not be read: over the limit (413) or not multipart at all (400). */
function uploadError(error: unknown): DomainError {
  const status = (error as { statusCode?: number }).statusCode;
  if (status === 413) return new DomainError('PAYLOAD_TOO_LARGE', 'The upload is over the import limit');
  return DomainError.validation([{ field: 'file', reason: 'the body is not a valid multipart/form-data upload' }]);
}
