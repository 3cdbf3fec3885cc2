import fs from 'node:fs';
import path from 'node:path';
import { isActive, loadNotices, type Notice } from '../knowledge/notices.js';
import type { AppContext } from '../context.js';
import { noticeEnds, storedNotices } from './store.js';

/** How often the stored notices are re-read, so a notice posted on another instance shows up here. */
const REFRESH_MS = 3_000;

/**
 * The notices in force: knowledge/notices/*.md (hot reloaded, validated against the current article ids)
 * plus those posted to the database, with early ends. Turns read a snapshot synchronously; the database
 * part is refreshed in the background and at once after a change on this instance.
 */
export class NoticeBoard {
  private files: Notice[] = [];
  private stored: Notice[] = [];
  private ends = new Map<string, Date>();
  private readonly watchers: fs.FSWatcher[] = [];
  private dirWatched = false;
  private timer: NodeJS.Timeout | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly noticesDir: string = path.join(ctx.config.knowledgeDir, 'notices'),
  ) {
    this.reloadFiles();
  }

  /** Reads the notice files again; invalid files are logged and left out (kb:lint names them). */
  reloadFiles(): void {
    const ids = new Set(this.ctx.knowledge.current().articles.map((a) => a.id));
    const { notices, problems } = loadNotices(this.noticesDir, ids);
    for (const p of problems) this.ctx.logger.error({ file: path.basename(p.file), field: p.field, problem: p.message }, 'notice rejected');
    this.files = notices;
  }

  /** Starts the background refresh and, with hot reload, watching knowledge/notices (also once it is created). */
  start(watch: boolean): void {
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
    void this.refresh();
    if (!watch) return;
    const changed = () => {
      clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => {
        this.watchNoticesDir(changed);
        this.reloadFiles();
      }, 250);
      this.reloadTimer.unref();
    };
    const parent = path.dirname(this.noticesDir);
    if (fs.existsSync(parent)) this.watch(parent, (file) => file === null || file === path.basename(this.noticesDir), changed);
    this.watchNoticesDir(changed);
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.reloadTimer);
    for (const w of this.watchers) w.close();
  }

  private watchNoticesDir(changed: () => void): void {
    if (this.dirWatched || !fs.existsSync(this.noticesDir)) return;
    this.dirWatched = true;
    this.watch(this.noticesDir, (file) => file === null || file.endsWith('.md'), changed);
  }

  private watch(dir: string, accept: (file: string | null) => boolean, changed: () => void): void {
    const watcher = fs.watch(dir, { persistent: false }, (_event, file) => {
      if (accept(file === null ? null : String(file))) changed();
    });
    watcher.on('error', () => undefined);
    this.watchers.push(watcher);
  }

  /** Re-reads the stored notices and early ends; keeps the last snapshot when the database is down. */
  async refresh(): Promise<void> {
    try {
      const since = new Date(this.ctx.now().getTime() - 30 * 86_400_000);
      [this.stored, this.ends] = await Promise.all([storedNotices(this.ctx.db, since), noticeEnds(this.ctx.db)]);
    } catch (err) {
      this.ctx.logger.warn({ err: (err as Error).message }, 'could not refresh notices');
    }
  }

  /** Every known notice (a stored one replaces a file one with the same id), with its effective end. */
  all(): Array<Notice & { endedAt?: Date }> {
    const byId = new Map<string, Notice>();
    for (const n of [...this.files, ...this.stored]) byId.set(n.id, n);
    return [...byId.values()].map((n) => ({ ...n, ...(this.ends.has(n.id) ? { endedAt: this.ends.get(n.id) } : {}) }));
  }

  /** The notice with this id, if any. */
  get(id: string): (Notice & { endedAt?: Date }) | undefined {
    return this.all().find((n) => n.id === id);
  }

  /** Notices in force at `now`. */
  active(now: Date = this.ctx.now()): Notice[] {
    return this.all().filter((n) => isActive(n, now, n.endedAt));
  }

  /** Notices in force that concern any of these articles. */
  forArticles(articleIds: readonly string[], now: Date = this.ctx.now()): Notice[] {
    return this.active(now).filter((n) => n.articles.some((id) => articleIds.includes(id)));
  }

  /** True when the notice is over (ended early, past its end, or gone); false while active or not yet started. */
  isOver(id: string, now: Date = this.ctx.now()): boolean {
    const notice = this.get(id);
    if (!notice) return true;
    return !isActive(notice, now, notice.endedAt) && now.getTime() >= notice.starts.getTime();
  }
}
