package dev.tidemark.lock;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Stateful property: random requests, try-locks, timeouts, upgrades, releases, cancellations, aborts, commits and
 * deadlock checks by up to 8 transactions on a handful of resources, applied to the lock manager and to
 * {@link ReferenceLockTable}; after every step the held modes, the outcomes of waits, the lock-wait view and the
 * deadlock victims must agree, and no two incompatible modes may be held together. jqwik prints the seed and the
 * shrunk action sequence of a failure and replays the failing seed first on the next run.
 */
class LockManagerModelProperties
{
    @Property(tries = 300)
    void lockManagerShouldBehaveLikeTheReferenceModel(@ForAll("chains") final ActionChain<LockSystem> chain)
    {
        chain.withInvariant("agrees with the model", LockSystem::checkInvariants).run();
        chain.finalState().ifPresent(LockSystem::close);
    }

    @Provide
    Arbitrary<ActionChain<LockSystem>> chains()
    {
        return Combinators.combine(Arbitraries.integers().between(2, 8), Arbitraries.of(1, 4, 64))
            .flatAs((transactions, stripes) -> ActionChain.startWith(() -> new LockSystem(transactions, stripes))
                .withAction(10, new Request())
                .withAction(4, new Upgrade())
                .withAction(1, new TryAcquire())
                .withAction(1, new TimeOut())
                .withAction(1, new Release())
                .withAction(1, new Cancel())
                .withAction(1, new Abort())
                .withAction(1, new Commit())
                .withAction(3, new DetectDeadlocks())
                .withMaxTransformations(80));
    }

    private static Arbitrary<LockMode> modesFor(final LockResource resource)
    {
        return resource.kind() == ResourceKind.KEYSPACE ? Arbitraries.of(LockMode.class) :
            Arbitraries.of(LockMode.S, LockMode.X);
    }

    private static Arbitrary<Integer> slotsOf(final List<Integer> slots)
    {
        return Arbitraries.of(slots);
    }

    private static final class Request implements Action.Dependent<LockSystem>
    {
        @Override
        public boolean precondition(final LockSystem state)
        {
            return !state.idleSlots().isEmpty();
        }

        @Override
        public Arbitrary<Transformer<LockSystem>> transformer(final LockSystem state)
        {
            return Combinators.combine(slotsOf(state.idleSlots()), Arbitraries.of(LockSystem.RESOURCES))
                .flatAs((slot, resource) -> modesFor(resource).map(mode -> Transformer.mutate(
                    "slot " + slot + " requests " + mode + " on " + resource,
                    s -> s.request(slot, resource, mode))));
        }
    }

    private static final class Upgrade implements Action.Dependent<LockSystem>
    {
        @Override
        public boolean precondition(final LockSystem state)
        {
            return state.idleSlots().stream().anyMatch(slot -> !state.heldBy(slot).isEmpty());
        }

        @Override
        public Arbitrary<Transformer<LockSystem>> transformer(final LockSystem state)
        {
            return slotsOf(state.idleSlots().stream().filter(slot -> !state.heldBy(slot).isEmpty()).toList())
                .flatMap(slot -> Arbitraries.of(state.heldBy(slot))
                    .flatMap(resource -> modesFor(resource).map(mode -> Transformer.mutate(
                        "slot " + slot + " upgrades " + resource + " to " + mode,
                        s -> s.request(slot, resource, mode)))));
        }
    }

    private static final class TryAcquire implements Action.Dependent<LockSystem>
    {
        @Override
        public boolean precondition(final LockSystem state)
        {
            return !state.idleSlots().isEmpty();
        }

        @Override
        public Arbitrary<Transformer<LockSystem>> transformer(final LockSystem state)
        {
            return Combinators.combine(slotsOf(state.idleSlots()), Arbitraries.of(LockSystem.RESOURCES))
                .flatAs((slot, resource) -> modesFor(resource).map(mode -> Transformer.mutate(
                    "slot " + slot + " tries " + mode + " on " + resource + " without waiting",
                    s -> s.tryAcquire(slot, resource, mode))));
        }
    }

    private static final class TimeOut implements Action.Dependent<LockSystem>
    {
        @Override
        public boolean precondition(final LockSystem state)
        {
            return !state.waitingSlots().isEmpty();
        }

        @Override
        public Arbitrary<Transformer<LockSystem>> transformer(final LockSystem state)
        {
            return slotsOf(state.waitingSlots())
                .map(slot -> Transformer.mutate("slot " + slot + " times out", s -> s.timeOut(slot)));
        }
    }

    private static final class Release implements Action.Dependent<LockSystem>
    {
        @Override
        public boolean precondition(final LockSystem state)
        {
            return !state.idleSlots().isEmpty();
        }

        @Override
        public Arbitrary<Transformer<LockSystem>> transformer(final LockSystem state)
        {
            return Combinators.combine(slotsOf(state.idleSlots()), Arbitraries.of(LockSystem.RESOURCES))
                .as((slot, resource) -> Transformer.mutate("slot " + slot + " releases " + resource,
                    s -> s.release(slot, resource)));
        }
    }

    private static final class Cancel implements Action.Dependent<LockSystem>
    {
        @Override
        public Arbitrary<Transformer<LockSystem>> transformer(final LockSystem state)
        {
            return Arbitraries.integers().between(0, state.transactions() - 1)
                .map(slot -> Transformer.mutate("slot " + slot + " is cancelled", s -> s.cancel(slot)));
        }
    }

    private static final class Abort implements Action.Dependent<LockSystem>
    {
        @Override
        public Arbitrary<Transformer<LockSystem>> transformer(final LockSystem state)
        {
            return Arbitraries.integers().between(0, state.transactions() - 1)
                .map(slot -> Transformer.mutate("slot " + slot + " aborts", s -> s.abort(slot)));
        }
    }

    private static final class Commit implements Action.Dependent<LockSystem>
    {
        @Override
        public boolean precondition(final LockSystem state)
        {
            return !state.idleSlots().isEmpty();
        }

        @Override
        public Arbitrary<Transformer<LockSystem>> transformer(final LockSystem state)
        {
            return slotsOf(state.idleSlots())
                .map(slot -> Transformer.mutate("slot " + slot + " commits", s -> s.commit(slot)));
        }
    }

    private static final class DetectDeadlocks implements Action.Independent<LockSystem>
    {
        @Override
        public Arbitrary<Transformer<LockSystem>> transformer()
        {
            return Arbitraries.just(Transformer.mutate("detect deadlocks", LockSystem::detectDeadlocks));
        }
    }
}
