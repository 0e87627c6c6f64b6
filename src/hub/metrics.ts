// The hub's counters, exposed at GET /metrics in Prometheus' text format. Hand-written because
// a handful of counters does not warrant a client library.
import type { RefusalReason } from '../shared/sync';
import type { CommitStats } from './group-commit';
import { LatencyHistogram, type LatencySnapshot, type StoreStats } from './pg/stats';

/** Why the hub closed a socket or connection on its own. */
export type CloseReason =
  | 'upgrade-timeout'
  | 'address-limit'
  | 'waiting-updates'
  | 'internal-error'
  | 'too-slow'
  | 'no-pong';

/** Why a presence (awareness) entry was not forwarded. */
export type PresenceDropReason = 'client-id-taken' | 'other-member' | 'too-many-clients';

export class HubMetrics {
  /** Fetches by sequence number of updates other hubs stored. */
  catchUpFetches = 0;
  /** Other hubs' commits applied from the updates their announcements carried. */
  carriedCommits = 0;
  /** From another hub's commit to its update reaching this hub's members, in ms. */
  readonly crossHubLag = new LatencyHistogram();
  /** How long each commit (a group of updates) took. */
  readonly commitLatency = new LatencyHistogram();
  connections = 0;
  /** TCP sockets open, upgraded or not. */
  sockets = 0;
  messages = 0;
  updates = 0;
  updateBytes = 0;
  protocolErrors = 0;
  readerUpdatesDropped = 0;
  /** Whole-document encodings made to answer sync requests. */
  stateEncodes = 0;
  syncRequestsDropped = 0;
  /** Bytes of updates held until the changes they build on arrive. */
  waitingBytes = 0;
  /** Threads decoding large updates (see update-check.ts). */
  checkerThreads = 0;
  readonly rejected = new Map<RefusalReason, number>();
  readonly closed = new Map<CloseReason, number>();
  readonly presenceDropped = new Map<PresenceDropReason, number>();

  reject(reason: RefusalReason): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  close(reason: CloseReason): void {
    this.closed.set(reason, (this.closed.get(reason) ?? 0) + 1);
  }

  dropPresence(reason: PresenceDropReason): void {
    this.presenceDropped.set(reason, (this.presenceDropped.get(reason) ?? 0) + 1);
  }

  render(rooms: number, commits: CommitStats, cluster: StoreStats | null): string {
    const out = new Exposition();
    out.gauge('curio_hub_rooms', 'Rooms loaded in memory.', rooms);
    out.gauge('curio_hub_connections', 'Open client connections.', this.connections);
    out.gauge('curio_hub_sockets', 'Open TCP sockets, upgraded or not.', this.sockets);
    out.counter('curio_hub_messages_total', 'Messages received from clients.', this.messages);
    out.counter('curio_hub_updates_total', 'Document updates stored and broadcast.', this.updates);
    out.counter(
      'curio_hub_update_bytes_total',
      'Bytes of document updates stored.',
      this.updateBytes,
    );
    out.counter(
      'curio_hub_protocol_errors_total',
      'Connections closed for malformed or oversized messages.',
      this.protocolErrors,
    );
    out.counter(
      'curio_hub_reader_updates_dropped_total',
      'Updates sent by read-only members and dropped.',
      this.readerUpdatesDropped,
    );
    out.counter(
      'curio_hub_sync_state_encodes_total',
      'Document encodings made to answer sync requests (the rest come from cache).',
      this.stateEncodes,
    );
    out.counter(
      'curio_hub_sync_requests_dropped_total',
      'Sync and presence requests over a connection’s rate limit, left unanswered.',
      this.syncRequestsDropped,
    );
    out.gauge(
      'curio_hub_waiting_update_bytes',
      'Bytes of updates held until the changes they build on arrive.',
      this.waitingBytes,
    );
    out.gauge(
      'curio_hub_update_check_threads',
      'Threads decoding large updates; one is let go after a very large update.',
      this.checkerThreads,
    );
    out.byReason(
      'curio_hub_rejected_connections_total',
      'Connections refused at the HTTP upgrade, by reason.',
      this.rejected,
    );
    out.byReason(
      'curio_hub_closed_connections_total',
      'Sockets and connections the hub closed on its own, by reason.',
      this.closed,
    );
    out.byReason(
      'curio_hub_presence_entries_dropped_total',
      'Presence entries not forwarded, by reason.',
      this.presenceDropped,
    );
    out.counter('curio_hub_commits_total', 'Commits (groups of updates).', commits.commits);
    out.counter('curio_hub_committed_updates_total', 'Updates committed in them.', commits.updates);
    out.histogram(
      'curio_hub_store_commit_seconds',
      'Time for the store to make one group of updates durable.',
      this.commitLatency.snapshot(),
    );
    if (cluster) this.renderCluster(out, cluster);
    return out.text();
  }

  private renderCluster(out: Exposition, cluster: StoreStats): void {
    out.gauge(
      'curio_hub_cluster_listening',
      '1 while this hub hears other hubs’ commits.',
      cluster.listening ? 1 : 0,
    );
    out.counter(
      'curio_hub_cluster_notifications_total',
      'Announcements of other hubs’ commits heard.',
      cluster.notifications,
    );
    out.counter(
      'curio_hub_cluster_listener_reconnects_total',
      'Times the listening connection was replaced.',
      cluster.reconnects,
    );
    out.counter(
      'curio_hub_cluster_catch_up_fetches_total',
      'Fetches by sequence number that brought other hubs’ updates.',
      this.catchUpFetches,
    );
    out.counter(
      'curio_hub_cluster_carried_commits_total',
      'Other hubs’ commits applied from their announcements, without a fetch.',
      this.carriedCommits,
    );
    out.counter(
      'curio_hub_store_commit_failures_total',
      'Commits PostgreSQL refused or lost; none of their updates was confirmed.',
      cluster.commitFailures,
    );
    out.histogram(
      'curio_hub_cross_hub_lag_seconds',
      'From another hub’s commit (by the database’s clock) to its update reaching members here.',
      this.crossHubLag.snapshot(),
    );
  }
}

/** Prometheus' text exposition format, one metric family at a time. */
class Exposition {
  private readonly lines: string[] = [];

  gauge(name: string, help: string, value: number): void {
    this.family(name, 'gauge', help, [['', value]]);
  }

  counter(name: string, help: string, value: number): void {
    this.family(name, 'counter', help, [['', value]]);
  }

  byReason(name: string, help: string, counts: ReadonlyMap<string, number>): void {
    const samples = [...counts].map(([reason, n]): [string, number] => [`{reason="${reason}"}`, n]);
    this.family(name, 'counter', help, samples);
  }

  histogram(name: string, help: string, latency: LatencySnapshot): void {
    const buckets = latency.buckets.map(([bound, n]): [string, number] => {
      const le = bound === Infinity ? '+Inf' : String(bound / 1000);
      return [`_bucket{le="${le}"}`, n];
    });
    this.family(name, 'histogram', help, [
      ...buckets,
      ['_sum', latency.sumMs / 1000],
      ['_count', latency.count],
    ]);
  }

  text(): string {
    return this.lines.join('\n') + '\n';
  }

  private family(name: string, type: string, help: string, samples: [string, number][]): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) this.lines.push(`${name}${labels} ${value}`);
  }
}
