#!/usr/bin/env node
// The `connect-webhooks` command: runs the TypeScript CLI through tsx's require hook, so the repository
// needs no build step before `npx connect-webhooks …` works.
require('tsx/cjs');
require('./connect-webhooks.ts');
