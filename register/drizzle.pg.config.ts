import { defineConfig } from 'drizzle-kit';

export default defineConfig({ dialect: 'postgresql', schema: './register/schema/pg.ts', out: './register/migrations/pg' });
