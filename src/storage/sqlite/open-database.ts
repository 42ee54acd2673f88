/**
 * Opens the embedded database file with the settings every store relies on: WAL journal (readers
 * never block the writer, a crash never corrupts the file), a busy timeout so a second process waits
 * for the write lock instead of failing, and the synchronous level the caller asks for:
 *   - FULL for tickets: with WAL, every commit fsyncs the log before it returns, so a ticket number
 *     given to a worker survives a power cut, not only a process crash;
 *   - NORMAL for sessions: WAL is fsynced at checkpoints only; a power cut may lose the last few
 *     seconds of conversation state or dedupe marks, never corrupt the file. A process crash loses
 *     nothing (the log is already in the OS).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

export function openDatabase(file: string, synchronous: 'FULL' | 'NORMAL'): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}
