// Samples the resident memory of a process tree at a fixed interval, so peaks between two moments (a
// scenario, a large payload, a soak) can be read afterwards instead of only the state at the end.
'use strict';

const { sampleProcessTree } = require('./processes');

class RssSampler {
  /** @param {() => number[]} pids the roots to sum (their trees), read at every tick */
  constructor(pids, intervalMs = 500) {
    this.pids = pids;
    this.intervalMs = intervalMs;
    /** @type {Array<{ atMs: number, rssKb: number }>} */
    this.samples = [];
    this.timer = null;
  }

  start() {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  stop() {
    clearInterval(this.timer);
    this.sample();
  }

  sample() {
    let rssKb = 0;
    let alive = false;
    for (const pid of this.pids()) {
      const tree = sampleProcessTree(pid);
      if (!tree) continue;
      alive = true;
      rssKb += tree.rssKb;
    }
    if (alive) this.samples.push({ atMs: Date.now(), rssKb });
    return alive ? rssKb : null;
  }

  /** Highest sample taken between two Date.now() values (inclusive); null when none was. */
  peakBetween(fromMs, toMs = Infinity) {
    let peak = null;
    for (const s of this.samples) if (s.atMs >= fromMs && s.atMs <= toMs && (peak === null || s.rssKb > peak)) peak = s.rssKb;
    return peak;
  }

  peak() {
    return this.peakBetween(0);
  }
}

module.exports = { RssSampler };
