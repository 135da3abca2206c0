/**
 * Wakeup trees (Abdulla, Aronis, Jonsson, Sagonas, "Optimal Dynamic Partial Order Reduction",
 * POPL 2014, section 6).
 *
 * A wakeup tree at a node E of the search is an ordered tree of event sequences still to be
 * explored from E. Invariant: no two leaves are equivalent continuations, and a sequence is
 * only inserted when no leaf already covers it (u ⊑ v: E.u can be extended to an execution
 * equivalent to E.v), which is what makes the search explore each Mazurkiewicz trace once.
 */
import { dependent, sameProc, type Event, type Proc } from './event.js';

export class WakeupNode {
  readonly children: WakeupNode[] = [];
  constructor(readonly event: Event | null) {}
}

/**
 * Whether `p` (whose next event is `pe`) is a weak initial of `v`: some execution starting
 * with p's event is equivalent to (a continuation of) v. Either p occurs in v and no earlier
 * event of v is dependent with its first event, or p does not occur and is independent of all of v.
 */
export function weakInitial(p: Proc, pe: Event, v: readonly Event[]): boolean {
  for (let i = 0; i < v.length; i++) {
    if (sameProc(v[i]!, p)) {
      for (let k = 0; k < i; k++) if (dependent(v[k]!, v[i]!)) return false;
      return true;
    }
  }
  for (const e of v) if (dependent(pe, e)) return false;
  return true;
}

/** v with p's first event removed (or v itself when p does not occur in it). */
function consume(p: Proc, v: readonly Event[]): Event[] {
  const i = v.findIndex((e) => sameProc(e, p));
  return i < 0 ? [...v] : [...v.slice(0, i), ...v.slice(i + 1)];
}

export class WakeupTree {
  root = new WakeupNode(null);

  get empty(): boolean {
    return this.root.children.length === 0;
  }

  /** The leftmost child: the next process to explore. */
  first(): Event | null {
    return this.root.children[0]?.event ?? null;
  }

  /** A tree for a single process. */
  static of(e: Event): WakeupTree {
    const t = new WakeupTree();
    t.root.children.push(new WakeupNode(e));
    return t;
  }

  /** The subtree below p (what the child node E.p must explore). */
  subtree(p: Proc): WakeupTree {
    const t = new WakeupTree();
    const child = this.root.children.find((c) => sameProc(c.event!, p));
    if (child !== undefined) t.root.children.push(...child.children);
    return t;
  }

  /** Remove every sequence that starts with p. */
  remove(p: Proc): void {
    const i = this.root.children.findIndex((c) => sameProc(c.event!, p));
    if (i >= 0) this.root.children.splice(i, 1);
  }

  /**
   * insert[E](v): add v unless a leaf u already satisfies u ⊑ v. Walks down the tree taking,
   * at each node, the leftmost child whose process is a weak initial of what is left of v.
   */
  insert(v: readonly Event[]): void {
    let node = this.root;
    let rest: Event[] = [...v];
    for (;;) {
      if (node.children.length === 0) {
        if (node === this.root && rest.length > 0) break; // an empty tree: add v
        return; // a leaf u with u ⊑ v
      }
      if (rest.length === 0) return; // v is covered by the paths below this node
      const next = node.children.find((c) => weakInitial(c.event!, c.event!, rest));
      if (next === undefined) break;
      rest = consume(next.event!, rest);
      node = next;
    }
    for (const e of rest) {
      const child = new WakeupNode(e);
      node.children.push(child);
      node = child;
    }
  }
}
