package io.quantserve.engine.onnx;

import io.quantserve.engine.onnx.GraphScopes.ScopedInitializer;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Edits a model one scope at a time (main graph or {@code If}/{@code Loop}/{@code Scan} body), each through a
 * {@link GraphEditor} that avoids every name of the model, writing each edited graph back before the next scope
 * is opened. An edit may stop reading an initializer of an enclosing scope (a weight moved into the subgraph):
 * it {@linkplain Scope#release releases} it, and once every scope is edited the initializer is removed from its
 * graph if nothing reads it any more. Deterministic: the same edits in the same order give the same bytes.
 */
public final class ScopedEdits {
    private ScopedEdits() {}

    /** The editing context of one scope. */
    public static final class Scope {
        private final ModelProto model;
        private final String path;
        private final GraphEditor editor;
        private final List<Released> released;

        private Scope(ModelProto model, String path, List<Released> released) {
            this.model = model;
            this.path = path;
            this.editor = new GraphEditor(GraphScopes.graph(model, path), GraphScopes.allNames(model));
            this.released = released;
        }

        /** The scope path ({@link GraphScopes#MAIN} for the main graph). */
        public String path() {
            return path;
        }

        /** The editor of this scope's graph. */
        public GraphEditor editor() {
            return editor;
        }

        /** Whether {@code name} is an initializer of this scope's own graph (as edited so far). */
        public boolean owns(String name) {
            return editor.initializer(name).isPresent();
        }

        /**
         * The initializer {@code name} as seen from this scope: this scope's own (as edited so far), else the
         * nearest enclosing scope's (as it was when this scope was opened).
         */
        public Optional<ScopedInitializer> initializer(String name) {
            Optional<ScopedInitializer> own = editor.initializer(name).map(t -> new ScopedInitializer(path, t));
            if (own.isPresent() || path.isEmpty()) return own;
            return GraphScopes.parent(model, path).flatMap(p -> GraphScopes.initializer(model, p, name));
        }

        /**
         * Records that this scope no longer reads the enclosing scope's initializer {@code name}; after all scopes
         * are edited it is removed from the graph holding it unless something there (or below) still reads it.
         */
        public void release(String name) {
            released.add(new Released(path, name));
        }
    }

    private record Released(String scope, String name) {}

    /**
     * Applies {@code edit} to each scope in {@code scopes}, in the given order, then removes released
     * initializers that became unread.
     *
     * @param scopes scope paths as {@link GraphScopes} spells them; duplicates are edited once
     * @return the edited model
     */
    public static ModelProto apply(ModelProto model, List<String> scopes, Consumer<Scope> edit) {
        List<Released> released = new ArrayList<>();
        ModelProto current = model;
        for (String path : new LinkedHashSet<>(scopes)) {
            Scope scope = new Scope(current, path, released);
            edit.accept(scope);
            current = GraphScopes.replace(current, path, scope.editor().build());
        }
        Set<Released> seen = new LinkedHashSet<>(released);
        for (Released r : seen) {
            if (r.scope().isEmpty()) continue;
            String parent = GraphScopes.parent(current, r.scope()).orElseThrow();
            Optional<ScopedInitializer> holder = GraphScopes.initializer(current, parent, r.name());
            if (holder.isEmpty()) continue;
            GraphEditor editor =
                    new GraphEditor(GraphScopes.graph(current, holder.get().scope()));
            if (editor.readerCount(r.name()) == 0) {
                editor.removeInitializer(r.name());
                current = GraphScopes.replace(current, holder.get().scope(), editor.build());
            }
        }
        return current;
    }
}
