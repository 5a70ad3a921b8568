//! The OC4IDS 0.9.5 package and project schemas, embedded in the binary and compiled once
//! into a tree of [`Node`]s for the evaluator, plus the tables the official validator
//! derives from the dereferenced schema: the fields it knows, the fields that carry a
//! codelist, and the arrays whose items may leave out their `id`.
//!
//! References are resolved locally: `#/definitions/...` within the project schema, and any
//! URL ending in `project-schema.json` to the project schema, as the official validator does
//! by file name. A `$ref` hides its sibling keywords, as in draft 4.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::sync::OnceLock;

use regex::Regex;

use crate::json::{self, Json, Number};

const PACKAGE_SCHEMA: &str = include_str!("../../../data/oc4ids/project-package-schema.json");
const PROJECT_SCHEMA: &str = include_str!("../../../data/oc4ids/project-schema.json");

/// The schema version these files are, as the report names it.
pub const VERSION: &str = "0.9.5";

/// The address of the package schema that the official validator reports.
pub const PACKAGE_SCHEMA_URL: &str = concat!(
    "https://standard.open-contracting.org/infrastructure/schema/0__9__5/",
    "project-package-schema.json"
);

/// An index into [`Schema::node`].
pub type NodeId = usize;

/// The compiled OC4IDS schema and the tables derived from it.
#[derive(Debug)]
pub struct Schema {
    nodes: Vec<Node>,
    /// The package schema, the root of validation.
    pub package: NodeId,
    /// Every field path the schema describes, without array indexes: `/projects/budget/amount`.
    pub fields: HashSet<String>,
    /// Fields with a codelist, as `projects/status`, with the codelist file and whether the
    /// codelist is open.
    pub codelist_fields: HashMap<String, (String, bool)>,
    /// Arrays of objects whose `id` is not required, as `projects/parties`.
    pub optional_id_arrays: HashSet<String>,
}

/// The keywords of one subschema that the OC4IDS schema uses.
#[derive(Debug, Clone, Default)]
pub struct Node {
    pub types: Option<Types>,
    pub format: Option<String>,
    pub pattern: Option<Pattern>,
    pub min_length: Option<u64>,
    pub min_items: Option<u64>,
    pub min_properties: Option<u64>,
    pub minimum: Option<Number>,
    pub required: Vec<String>,
    pub properties: Vec<(String, NodeId)>,
    pub items: Option<NodeId>,
    pub unique_items: bool,
}

/// The `type` keyword: the names, and the keyword's value as written (a string or a list),
/// which the report repeats.
#[derive(Debug, Clone)]
pub struct Types {
    pub names: Vec<String>,
    pub written: Json,
}

/// The `pattern` keyword with its compiled expression.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub source: String,
    regex: Regex,
}

impl Pattern {
    /// Python's `re.search`, where `$` also matches before one final newline.
    pub fn is_match(&self, text: &str) -> bool {
        self.regex.is_match(text)
            || text
                .strip_suffix('\n')
                .is_some_and(|trimmed| self.regex.is_match(trimmed))
    }
}

impl Schema {
    /// The subschema with this id.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    /// The subschema of the package's `projects` array.
    pub fn projects(&self) -> NodeId {
        self.property(self.package, "projects")
            .expect("the package schema describes `projects`")
    }

    /// The subschema of property `name` of the object described by `node`.
    pub fn property(&self, node: NodeId, name: &str) -> Option<NodeId> {
        let properties = &self.nodes[node].properties;
        properties
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, id)| *id)
    }
}

/// The OC4IDS 0.9.5 schema, compiled on first use.
pub fn oc4ids() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let documents = Documents {
            package: json::parse(PACKAGE_SCHEMA).expect("the embedded package schema is JSON"),
            project: json::parse(PROJECT_SCHEMA).expect("the embedded project schema is JSON"),
        };
        build(&documents)
    })
}

fn build(documents: &Documents) -> Schema {
    let mut compiler = Compiler::default();
    let package = compiler.compile(documents, Document::Package, &documents.package);

    let root = Located {
        document: Document::Package,
        value: &documents.package,
    };
    let mut fields = HashSet::new();
    collect_fields(documents, root, "", &mut fields);
    let mut codelist_fields = HashMap::new();
    collect_codelist_fields(documents, root, "", &mut codelist_fields);
    let mut optional_id_arrays = HashSet::new();
    collect_optional_ids(documents, root, "", false, &mut optional_id_arrays);

    Schema {
        nodes: compiler.nodes,
        package,
        fields,
        codelist_fields,
        optional_id_arrays,
    }
}

/// The two schema files.
struct Documents {
    package: Json,
    project: Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Document {
    Package,
    Project,
}

impl Documents {
    fn root(&self, document: Document) -> &Json {
        match document {
            Document::Package => &self.package,
            Document::Project => &self.project,
        }
    }

    /// The target of a `$ref` written in `document`, with the document it lives in.
    fn resolve(&self, document: Document, reference: &str) -> (Document, String, &Json) {
        let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let target_document = match file.rsplit('/').next().unwrap_or("") {
            "" => document,
            "project-schema.json" => Document::Project,
            "project-package-schema.json" => Document::Package,
            other => panic!("the embedded schema refers to an unknown file {other}"),
        };
        let mut value = self.root(target_document);
        for token in pointer.split('/').filter(|token| !token.is_empty()) {
            let token = token.replace("~1", "/").replace("~0", "~");
            value = match value {
                Json::Object(members) => &members[token.as_str()],
                _ => panic!("the embedded schema has a broken reference {reference}"),
            };
        }
        (target_document, pointer.to_owned(), value)
    }

    /// Follows `$ref`s until a subschema that is not one, as a dereferenced schema reads.
    fn deref<'a>(&'a self, located: Located<'a>) -> Located<'a> {
        let mut current = located;
        while let Some(reference) = reference_of(current.value) {
            let (document, _, value) = self.resolve(current.document, reference);
            current = Located { document, value };
        }
        current
    }
}

fn reference_of(value: &Json) -> Option<&str> {
    match value.as_object()?.get("$ref")? {
        Json::String(reference) => Some(reference),
        _ => None,
    }
}

/// A subschema and the document its relative references point into.
#[derive(Clone, Copy)]
struct Located<'a> {
    document: Document,
    value: &'a Json,
}

impl<'a> Located<'a> {
    fn get(&self, key: &str) -> Option<Located<'a>> {
        let value = self.value.as_object()?.get(key)?;
        Some(Located {
            document: self.document,
            value,
        })
    }

    fn members(&self, key: &str) -> Vec<(&'a str, Located<'a>)> {
        let Some(Json::Object(members)) = self.value.as_object().and_then(|m| m.get(key)) else {
            return Vec::new();
        };
        let document = self.document;
        members
            .iter()
            .map(|(name, value)| (name.as_str(), Located { document, value }))
            .collect()
    }

    fn has(&self, key: &str) -> bool {
        self.value
            .as_object()
            .is_some_and(|members| members.contains_key(key))
    }

    /// The `type` keyword as a list of names; none when it is missing.
    fn types(&self) -> Vec<&'a str> {
        match self
            .value
            .as_object()
            .and_then(|members| members.get("type"))
        {
            Some(Json::String(name)) => vec![name.as_str()],
            Some(Json::Array(names)) => names
                .iter()
                .filter_map(|name| match name {
                    Json::String(name) => Some(name.as_str()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Turns subschemas into [`Node`]s, compiling each reference target once so that shared
/// definitions share a node.
#[derive(Default)]
struct Compiler {
    nodes: Vec<Node>,
    compiled_targets: HashMap<(Document, String), NodeId>,
}

impl Compiler {
    fn compile(&mut self, documents: &Documents, document: Document, value: &Json) -> NodeId {
        let Some(reference) = reference_of(value) else {
            let node = self.node(documents, document, value);
            self.nodes.push(node);
            return self.nodes.len() - 1;
        };
        let (target_document, pointer, target) = documents.resolve(document, reference);
        let key = (target_document, pointer);
        if let Some(&id) = self.compiled_targets.get(&key) {
            return id;
        }
        // Reserve the node before compiling it, so that a definition that refers back to
        // itself ends up pointing at this node instead of compiling forever.
        let id = self.nodes.len();
        self.nodes.push(Node::default());
        self.compiled_targets.insert(key, id);
        self.nodes[id] = if reference_of(target).is_some() {
            let inner = self.compile(documents, target_document, target);
            self.nodes[inner].clone()
        } else {
            self.node(documents, target_document, target)
        };
        id
    }

    fn node(&mut self, documents: &Documents, document: Document, value: &Json) -> Node {
        let Json::Object(keywords) = value else {
            return Node::default();
        };
        let mut node = Node::default();
        if let Some(written) = keywords.get("type") {
            let located = Located { document, value };
            let names = located.types().into_iter().map(str::to_owned).collect();
            node.types = Some(Types {
                names,
                written: written.clone(),
            });
        }
        if let Some(Json::String(format)) = keywords.get("format") {
            node.format = Some(format.clone());
        }
        if let Some(Json::String(source)) = keywords.get("pattern") {
            let regex = Regex::new(source).expect("the schema's patterns compile");
            node.pattern = Some(Pattern {
                source: source.clone(),
                regex,
            });
        }
        node.min_length = unsigned(keywords.get("minLength"));
        node.min_items = unsigned(keywords.get("minItems"));
        node.min_properties = unsigned(keywords.get("minProperties"));
        if let Some(Json::Number(minimum)) = keywords.get("minimum") {
            node.minimum = Some(*minimum);
        }
        if let Some(Json::Array(names)) = keywords.get("required") {
            node.required = names.iter().filter_map(string).collect();
        }
        if let Some(Json::Object(properties)) = keywords.get("properties") {
            for (name, subschema) in properties {
                let id = self.compile(documents, document, subschema);
                node.properties.push((name.clone(), id));
            }
        }
        if let Some(items) = keywords
            .get("items")
            .filter(|items| items.as_object().is_some())
        {
            node.items = Some(self.compile(documents, document, items));
        }
        node.unique_items = matches!(keywords.get("uniqueItems"), Some(Json::Bool(true)));
        node
    }
}

fn unsigned(value: Option<&Json>) -> Option<u64> {
    match value {
        Some(Json::Number(Number::Int(int))) => u64::try_from(*int).ok(),
        _ => None,
    }
}

fn string(value: &Json) -> Option<String> {
    match value {
        Json::String(text) => Some(text.clone()),
        _ => None,
    }
}

/// The field paths the official validator takes as known: every property, reached through
/// `properties`, array `items` and `oneOf`, with `/` before each name.
fn collect_fields(documents: &Documents, schema: Located, prefix: &str, out: &mut HashSet<String>) {
    let schema = documents.deref(schema);
    for (name, property) in schema.members("properties") {
        let property = documents.deref(property);
        let path = format!("{prefix}/{name}");
        let alternatives = match property.get("oneOf") {
            Some(Located {
                value: Json::Array(options),
                document,
            }) => options
                .iter()
                .map(|value| documents.deref(Located { document, value }))
                .collect(),
            _ => vec![property],
        };
        for alternative in alternatives {
            if alternative.value.as_object().is_none() {
                continue;
            }
            if alternative.has("properties") {
                collect_fields(documents, alternative, &path, out);
            } else if let Some(items) = alternative.get("items") {
                collect_fields(documents, items, &path, out);
            }
            out.insert(path.clone());
        }
    }
    if let Some(items) = schema.get("items").map(|items| documents.deref(items))
        && let Some(Located {
            value: Json::Array(options),
            document,
        }) = items.get("oneOf")
    {
        for value in options {
            collect_fields(documents, Located { document, value }, prefix, out);
        }
    }
}

/// The fields that name a codelist: properties with `codelist`, or arrays of strings whose
/// items have one. The first path found wins, as in the official validator.
fn collect_codelist_fields(
    documents: &Documents,
    schema: Located,
    prefix: &str,
    out: &mut HashMap<String, (String, bool)>,
) {
    let schema = documents.deref(schema);
    for (name, property) in schema.members("properties") {
        let property = documents.deref(property);
        let path = join(prefix, name);
        if let Some(codelist) = codelist_of(property) {
            out.entry(path.clone()).or_insert(codelist);
        }
        let alternatives = match property.get("oneOf").or_else(|| property.get("anyOf")) {
            Some(Located {
                value: Json::Array(options),
                document,
            }) => options
                .iter()
                .map(|value| documents.deref(Located { document, value }))
                .collect(),
            _ => vec![property],
        };
        for alternative in alternatives {
            let types = alternative.types();
            if types.contains(&"object") {
                collect_codelist_fields(documents, alternative, &path, out);
            } else if types.contains(&"array")
                && let Some(items) = alternative.get("items").map(|items| documents.deref(items))
                && items.value.as_object().is_some()
            {
                if items.types().contains(&"string") {
                    if let Some(codelist) = codelist_of(items) {
                        out.entry(path.clone()).or_insert(codelist);
                    }
                } else if items.get("properties").is_some_and(|p| !p.value.is_falsy()) {
                    collect_codelist_fields(documents, items, &path, out);
                }
            }
        }
    }
}

fn codelist_of(schema: Located) -> Option<(String, bool)> {
    let Some(Json::String(file)) = schema.get("codelist").map(|located| located.value) else {
        return None;
    };
    let open = matches!(
        schema.get("openCodelist").map(|l| l.value),
        Some(Json::Bool(true))
    );
    Some((file.clone(), open))
}

/// Arrays of objects whose items have an `id` that is not required; the official validator
/// warns when such an item has no `id` at all.
fn collect_optional_ids(
    documents: &Documents,
    schema: Located,
    prefix: &str,
    array_items: bool,
    out: &mut HashSet<String>,
) {
    let schema = documents.deref(schema);
    let id_required = match schema.get("required").map(|located| located.value) {
        Some(Json::Array(names)) => names.iter().any(|name| *name == Json::String("id".into())),
        _ => false,
    };
    for (name, property) in schema.members("properties") {
        let property = documents.deref(property);
        let path = join(prefix, name);
        // The official rule also skips arrays marked `wholeListMerge`; OC4IDS marks none.
        if name == "id" && !id_required && array_items {
            out.insert(prefix.to_owned());
        }
        let types = property.types();
        if types.contains(&"object") {
            collect_optional_ids(documents, property, &path, false, out);
        } else if types.contains(&"array")
            && let Some(items) = property.get("items").map(|items| documents.deref(items))
            && items.get("properties").is_some_and(|p| !p.value.is_falsy())
        {
            collect_optional_ids(documents, items, &path, true, out);
        }
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_schema_reaches_the_project_schema_through_its_reference() {
        let schema = oc4ids();
        let project = schema.node(schema.projects()).items.unwrap();
        assert_eq!(schema.node(project).required, ["id"]);
        let budget = schema.property(project, "budget").unwrap();
        let amount = schema.property(budget, "amount").unwrap();
        assert!(schema.property(amount, "currency").is_some());
    }

    #[test]
    fn shared_definitions_compile_to_one_node() {
        let schema = oc4ids();
        let project = schema.node(schema.projects()).items.unwrap();
        let budget_amount = schema
            .property(schema.property(project, "budget").unwrap(), "amount")
            .unwrap();
        let completion = schema.property(project, "completion").unwrap();
        let final_value = schema.property(completion, "finalValue").unwrap();
        assert_eq!(budget_amount, final_value);
    }
}
