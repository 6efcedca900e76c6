import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createConversation } from '../../app/create-conversation.ts';
import { postMessage } from '../../app/post-message.ts';
import { getConversation, listConversations } from '../../app/read-conversations.ts';
import { updateConversation } from '../../app/update-conversation.ts';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { exportConversations } from '../../app/export-conversations.ts';
import { IdParams } from '../../contracts/common.ts';
import {
  Conversation,
  ConversationCreate,
  ConversationExportQuery,
  ConversationList,
  ConversationListQuery,
  ConversationPatch,
  Message,
  MessageCreate,
  ReplyCheck,
  ReplyCheckResult,
} from '../../contracts/conversations.ts';
import { checkReply } from '../../app/check-reply.ts';
import { pageRequest, presentPage } from '../cursor.ts';
import { idempotentCreate } from '../idempotency.ts';
import { presentConversation, presentConversationSummary, presentCreatedConversation, presentPostedMessage } from '../presenters/index.ts';
import { errorResponses } from './shared.ts';

export const conversationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/conversations', {
    config: { permission: 'conversations:write' },
    schema: {
      tags: ['conversations'],
      summary: 'Open a conversation, optionally with its first message',
      body: ConversationCreate,
      response: { 201: Conversation, ...errorResponses },
    },
    handler: (req, reply) =>
      idempotentCreate(
        req,
        reply,
        'conversations.create',
        (hooks) => createConversation(req.scope, req.body, hooks),
        presentCreatedConversation,
      ),
  });

  app.get('/conversations', {
    config: { permission: 'conversations:read' },
    schema: {
      tags: ['conversations'],
      summary: 'List and search conversations',
      description: 'Filters combine with AND; `q` is a full-text search over subjects and messages (web-search syntax).',
      querystring: ConversationListQuery,
      response: { 200: ConversationList, ...errorResponses },
    },
    handler: async (req) => {
      const { limit: _limit, cursor: _cursor, ...filter } = req.query;
      return presentPage(await listConversations(req.scope, filter, pageRequest(req.query)), presentConversationSummary);
    },
  });

  app.get('/conversations/export', {
    config: { permission: 'data:export' },
    schema: {
      tags: ['conversations'],
      summary: 'Export conversations with their messages as JSON Lines (streamed; newest first)',
      description: 'One line per conversation, shaped as GET /conversations/{id} answers it. Each customer read is logged, and the export audited.',
      querystring: ConversationExportQuery,
      response: { 200: z.string().describe('application/x-ndjson: one Conversation per line'), ...errorResponses },
    },
    handler: async (req, reply) => {
      const lines = async function* (items: ReturnType<typeof exportConversations>) {
        for await (const { conversation, messages, cancelRequest } of items) yield `${JSON.stringify(presentConversation(conversation, messages, cancelRequest))}\n`;
      };
      reply.type('application/x-ndjson; charset=utf-8').header('content-disposition', 'attachment; filename="conversations.jsonl"');
      // A stream is sent as it is, past the response schema.
      return reply.send(Readable.from(lines(exportConversations(req.scope, req.query))) as never);
    },
  });

  app.get('/conversations/:id', {
    config: { permission: 'conversations:read' },
    schema: { tags: ['conversations'], summary: 'Get a conversation with its messages', params: IdParams, response: { 200: Conversation, ...errorResponses } },
    handler: async (req) => {
      const { conversation, messages, cancelRequest, attachments } = await getConversation(req.scope, req.params.id);
      return presentConversation(conversation, messages, cancelRequest, attachments);
    },
  });

  app.patch('/conversations/:id', {
    config: { permission: 'conversations:write' },
    schema: {
      tags: ['conversations'],
      summary: 'Change status, assignment, team, severity, subject or tags',
      params: IdParams,
      body: ConversationPatch,
      response: { 200: Conversation, ...errorResponses },
    },
    handler: async (req) => {
      await updateConversation(req.scope, req.params.id, req.body);
      const { conversation, messages, cancelRequest, attachments } = await getConversation(req.scope, req.params.id);
      return presentConversation(conversation, messages, cancelRequest, attachments);
    },
  });

  app.post('/conversations/:id/messages', {
    config: { permission: 'conversations:write' },
    schema: {
      tags: ['conversations'],
      summary: 'Add a message (analysed for listening as it is stored)',
      params: IdParams,
      body: MessageCreate,
      response: { 201: Message, ...errorResponses },
    },
    handler: (req, reply) =>
      idempotentCreate(
        req,
        reply,
        'messages.create',
        (hooks) => postMessage(req.scope, req.params.id, req.body, hooks),
        presentPostedMessage,
      ),
  });

  app.post('/conversations/:id/check-reply', {
    config: { permission: 'conversations:read' },
    schema: {
      tags: ['conversations'],
      summary: 'Check a draft agent reply before it is sent',
      description:
        'Returns the listening findings that sending this reply would create (a sales ask after a refusal, a sensitive ' +
        'request without consent, an offer after a cancel request…). Stores nothing; fast enough to call as the agent types.',
      params: IdParams,
      body: ReplyCheck,
      response: { 200: ReplyCheckResult, ...errorResponses },
    },
    handler: async (req) => ({ findings: await checkReply(req.scope, req.params.id, req.body) }),
  });
};
