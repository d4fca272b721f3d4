/** Small documents whose answers are known sentences, for the answering tests. */
export const PUMP_MANUAL = {
  title: "Zephyr-9 pump manual",
  content:
    "The Zephyr-9 is a submersible pump for garden ponds. It moves up to 40 litres of water per minute. " +
    "The Zephyr-9 costs 129 euros and comes with a three-year warranty. Clean the intake filter every two weeks.",
};
export const HEATER = {
  title: "Aurora heater guide",
  content: "The Aurora heater warms rooms of up to 30 square metres. At full power it draws 2 kilowatts from the mains.",
};

/**
 * Section 25.1.2 of the PostgreSQL 15 manual's routine-vacuuming.html, as Debian's
 * postgresql-doc-15 ships it (PostgreSQL License): navigation bars, source line
 * breaks and all. The whole page ships as a sample document
 * (samples/postgresql-routine-vacuuming.html); this excerpt keeps the answer
 * tests to the one section whose sentences they judge. A person asking how to get disk space back should be quoted
 * the sentence naming VACUUM FULL.
 */
export const VACUUMING_PAGE = `<!DOCTYPE html><html><head><title>25.1. Routine Vacuuming</title></head><body><div class="navheader"><table width="100%" summary="Navigation header"><tr><th colspan="5" align="center">25.1. Routine Vacuuming</th></tr><tr><td width="10%" align="left"><a accesskey="p" href="maintenance.html" title="Chapter 25. Routine Database Maintenance Tasks">Prev</a> </td><td width="10%" align="left"><a accesskey="u" href="maintenance.html" title="Chapter 25. Routine Database Maintenance Tasks">Up</a></td><th width="60%" align="center">Chapter 25. Routine Database Maintenance Tasks</th><td width="10%" align="right"><a accesskey="h" href="index.html" title="PostgreSQL 15.20 Documentation">Home</a></td><td width="10%" align="right"> <a accesskey="n" href="routine-reindex.html" title="25.2. Routine Reindexing">Next</a></td></tr></table><hr /></div><div class="sect1" id="ROUTINE-VACUUMING"><div class="titlepage"><div><div><h2 class="title" style="clear: both">25.1. Routine Vacuuming</h2></div></div></div><div class="sect2" id="VACUUM-FOR-SPACE-RECOVERY"><div class="titlepage"><div><div><h3 class="title">25.1.2. Recovering Disk Space</h3></div></div></div><p>
    In <span class="productname">PostgreSQL</span>, an
    <code class="command">UPDATE</code> or <code class="command">DELETE</code> of a row does not
    immediately remove the old version of the row.
    This approach is necessary to gain the benefits of multiversion
    concurrency control (<acronym class="acronym">MVCC</acronym>, see <a class="xref" href="mvcc.html" title="Chapter 13. Concurrency Control">Chapter 13</a>): the row version
    must not be deleted while it is still potentially visible to other
    transactions. But eventually, an outdated or deleted row version is no
    longer of interest to any transaction. The space it occupies must then be
    reclaimed for reuse by new rows, to avoid unbounded growth of disk
    space requirements. This is done by running <code class="command">VACUUM</code>.
   </p><p>
    The standard form of <code class="command">VACUUM</code> removes dead row
    versions in tables and indexes and marks the space available for
    future reuse.  However, it will not return the space to the operating
    system, except in the special case where one or more pages at the
    end of a table become entirely free and an exclusive table lock can be
    easily obtained.  In contrast, <code class="command">VACUUM FULL</code> actively compacts
    tables by writing a complete new version of the table file with no dead
    space.  This minimizes the size of the table, but can take a long time.
    It also requires extra disk space for the new copy of the table, until
    the operation completes.
   </p><p>
    The usual goal of routine vacuuming is to do standard <code class="command">VACUUM</code>s
    often enough to avoid needing <code class="command">VACUUM FULL</code>.  The
    autovacuum daemon attempts to work this way, and in fact will
    never issue <code class="command">VACUUM FULL</code>.  In this approach, the idea
    is not to keep tables at their minimum size, but to maintain steady-state
    usage of disk space: each table occupies space equivalent to its
    minimum size plus however much space gets used up between vacuum runs.
    Although <code class="command">VACUUM FULL</code> can be used to shrink a table back
    to its minimum size and return the disk space to the operating system,
    there is not much point in this if the table will just grow again in the
    future.  Thus, moderately-frequent standard <code class="command">VACUUM</code> runs are a
    better approach than infrequent <code class="command">VACUUM FULL</code> runs for
    maintaining heavily-updated tables.
   </p><p>
    Some administrators prefer to schedule vacuuming themselves, for example
    doing all the work at night when load is low.
    The difficulty with doing vacuuming according to a fixed schedule
    is that if a table has an unexpected spike in update activity, it may
    get bloated to the point that <code class="command">VACUUM FULL</code> is really necessary
    to reclaim space.  Using the autovacuum daemon alleviates this problem,
    since the daemon schedules vacuuming dynamically in response to update
    activity.  It is unwise to disable the daemon completely unless you
    have an extremely predictable workload.  One possible compromise is
    to set the daemon's parameters so that it will only react to unusually
    heavy update activity, thus keeping things from getting out of hand,
    while scheduled <code class="command">VACUUM</code>s are expected to do the bulk of the
    work when the load is typical.
   </p><p>
    For those not using autovacuum, a typical approach is to schedule a
    database-wide <code class="command">VACUUM</code> once a day during a low-usage period,
    supplemented by more frequent vacuuming of heavily-updated tables as
    necessary. (Some installations with extremely high update rates vacuum
    their busiest tables as often as once every few minutes.) If you have
    multiple databases in a cluster, don't forget to
    <code class="command">VACUUM</code> each one; the program <a class="xref" href="app-vacuumdb.html" title="vacuumdb"><span class="refentrytitle"><span class="application">vacuumdb</span></span></a> might be helpful.
   </p><div class="tip"><h3 class="title">Tip</h3><p>
    Plain <code class="command">VACUUM</code> may not be satisfactory when
    a table contains large numbers of dead row versions as a result of
    massive update or delete activity.  If you have such a table and
    you need to reclaim the excess disk space it occupies, you will need
    to use <code class="command">VACUUM FULL</code>, or alternatively
    <a class="link" href="sql-cluster.html" title="CLUSTER"><code class="command">CLUSTER</code></a>
    or one of the table-rewriting variants of
    <a class="link" href="sql-altertable.html" title="ALTER TABLE"><code class="command">ALTER TABLE</code></a>.
    These commands rewrite an entire new copy of the table and build
    new indexes for it.  All these options require an
    <code class="literal">ACCESS EXCLUSIVE</code> lock.  Note that
    they also temporarily use extra disk space approximately equal to the size
    of the table, since the old copies of the table and indexes can't be
    released until the new ones are complete.
   </p></div><div class="tip"><h3 class="title">Tip</h3><p>
    If you have a table whose entire contents are deleted on a periodic
    basis, consider doing it with
    <a class="link" href="sql-truncate.html" title="TRUNCATE"><code class="command">TRUNCATE</code></a> rather
    than using <code class="command">DELETE</code> followed by
    <code class="command">VACUUM</code>. <code class="command">TRUNCATE</code> removes the
    entire content of the table immediately, without requiring a
    subsequent <code class="command">VACUUM</code> or <code class="command">VACUUM
    FULL</code> to reclaim the now-unused disk space.
    The disadvantage is that strict MVCC semantics are violated.
   </p></div></div></div><div class="navfooter"><hr /><table width="100%" summary="Navigation footer"><tr><td width="40%" align="left"><a accesskey="p" href="maintenance.html" title="Chapter 25. Routine Database Maintenance Tasks">Prev</a> </td><td width="20%" align="center"><a accesskey="u" href="maintenance.html" title="Chapter 25. Routine Database Maintenance Tasks">Up</a></td><td width="40%" align="right"> <a accesskey="n" href="routine-reindex.html" title="25.2. Routine Reindexing">Next</a></td></tr><tr><td width="40%" align="left" valign="top">Chapter 25. Routine Database Maintenance Tasks </td><td width="20%" align="center"><a accesskey="h" href="index.html" title="PostgreSQL 15.20 Documentation">Home</a></td><td width="40%" align="right" valign="top"> 25.2. Routine Reindexing</td></tr></table></div></body></html>`;
