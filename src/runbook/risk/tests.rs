//! Table-driven tests of [`analyze`] and [`program_names`], plus a no-panic property test.
#![allow(clippy::unwrap_used)]

use super::{Analysis, analyze, program_names};
use crate::runbook::Risk;
use proptest::prelude::*;

const R: Risk = Risk::Read;
const W: Risk = Risk::Write;
const D: Risk = Risk::Destructive;
/// Interactive / long-running markers for readability of the table.
const I: bool = true;
const L: bool = true;
const N: bool = false;

/// (command text, risk, interactive, long_running)
#[rustfmt::skip]
const TABLE: &[(&str, Risk, bool, bool)] = &[
    // kubectl read verbs
    ("kubectl get pods -n prod", R, N, N),
    ("kubectl -n kube-system describe pod coredns-1", R, N, N),
    ("kubectl logs deploy/api --tail=100", R, N, N),
    ("kubectl top nodes", R, N, N),
    ("kubectl explain deployment.spec", R, N, N),
    ("kubectl version --client", R, N, N),
    ("kubectl cluster-info", R, N, N),
    ("kubectl api-resources", R, N, N),
    ("kubectl auth can-i delete pods --as system:serviceaccount:x:y", R, N, N),
    ("kubectl wait --for=condition=Ready pod/x --timeout=60s", R, N, N),
    ("kubectl rollout status deploy/api -w", R, N, N),
    ("kubectl rollout history deploy/api", R, N, N),
    ("kubectl config get-contexts", R, N, N),
    ("kubectl config current-context", R, N, N),
    ("kubectl config view --minify", R, N, N),
    ("kubectl get pods | grep -v Running", R, N, N),
    ("kubectl get secret db -o jsonpath='{.data.password}' | base64 -d", R, N, N),
    // kubectl write verbs
    ("kubectl apply -f deploy.yaml", W, N, N),
    ("kubectl create namespace staging", W, N, N),
    ("kubectl set image deploy/api api=registry/api:1.2", W, N, N),
    ("kubectl patch deploy api -p '{\"spec\":{\"replicas\":2}}'", W, N, N),
    ("kubectl label node n1 disk=ssd", W, N, N),
    ("kubectl annotate pod x note=hi --overwrite", W, N, N),
    ("kubectl scale deploy x --replicas=3", W, N, N),
    ("kubectl rollout restart deploy/api", W, N, N),
    ("kubectl rollout undo deploy/api --to-revision=2", W, N, N),
    ("kubectl rollout pause deploy/api", W, N, N),
    ("kubectl cp pod:/tmp/dump.sql ./dump.sql", W, N, N),
    ("kubectl config use-context prod", W, N, N),
    ("kubectl cordon node-1", W, N, N),
    ("kubectl uncordon node-1", W, N, N),
    ("kubectl taint nodes n1 key=v:NoSchedule", W, N, N),
    ("kubectl apply --dry-run=client -f x.yaml", R, N, N),
    // kubectl destructive
    ("kubectl delete pod <pod-name> -n <ns>", D, N, N),
    ("kubectl scale deploy x --replicas=0", D, N, N),
    ("kubectl scale deploy x --replicas 0", D, N, N),
    ("kubectl scale rs <name> --replicas=0", D, N, N),
    ("kubectl drain node-1 --ignore-daemonsets", D, N, N),
    ("kubectl replace --force -f pod.yaml", D, N, N),
    ("kubectl replace -f pod.yaml", W, N, N),
    ("oc delete project old", D, N, N),
    // exec / run / debug payloads and interactivity
    ("kubectl exec -it pod -- /bin/sh", W, I, N),
    ("kubectl exec -ti pod -c app -- bash", W, I, N),
    ("kubectl exec -i -t pod -- ls", W, I, N),
    ("kubectl exec --stdin --tty pod -- env", W, I, N),
    ("kubectl exec pod -- /bin/bash", W, I, N),
    ("kubectl exec pod -- ls /data", W, N, N),
    ("kubectl exec pod -- rm -rf /data", D, N, N),
    ("kubectl exec pod -- psql -c \"DELETE FROM t\"", D, N, N),
    ("kubectl exec -i db-0 -- psql -U app <<EOF\nSELECT count(*) FROM users;\nEOF", W, N, N),
    ("kubectl run tmp --rm -it --image=busybox -- sh", W, I, N),
    ("kubectl edit deploy api", W, I, N),
    ("oc debug node/worker-1", W, I, N),
    ("oc debug node/worker-1 -- chroot /host systemctl status kubelet", W, N, N),
    // long-running kubectl
    ("kubectl get pods -w", R, N, L),
    ("kubectl get events --watch", R, N, L),
    ("kubectl get pods --watch-only", R, N, L),
    ("kubectl logs -f x", R, N, L),
    ("kubectl logs --follow deploy/api", R, N, L),
    ("kubectl port-forward svc/grafana 3000:80", R, N, L),
    ("oc logs -f dc/app", R, N, L),
    ("kubectl get pods -w &", R, N, L),
    // helm
    ("helm list -A", R, N, N),
    ("helm status api -n prod", R, N, N),
    ("helm get values api", R, N, N),
    ("helm history api", R, N, N),
    ("helm show values bitnami/redis", R, N, N),
    ("helm template ./chart", R, N, N),
    ("helm search repo redis", R, N, N),
    ("helm repo list", R, N, N),
    ("helm repo add bitnami https://charts.bitnami.com/bitnami", W, N, N),
    ("helm install api ./chart -n prod", W, N, N),
    ("helm upgrade --install api ./chart -f values.yaml", W, N, N),
    ("helm rollback api 3", W, N, N),
    ("helm uninstall api", D, N, N),
    ("helm delete api", D, N, N),
    // curl / wget
    ("curl -s https://x/healthz", R, N, N),
    ("curl -sSfL -o /dev/null -w '%{http_code}' https://x", R, N, N),
    ("curl -XPOST https://x/api/reindex", W, N, N),
    ("curl -X PUT https://x/api/flag", W, N, N),
    ("curl --request PATCH https://x/api/u/1", W, N, N),
    ("curl -d '{\"a\":1}' -H 'Content-Type: application/json' https://x/api", W, N, N),
    ("curl --data-binary @payload.json https://x/api", W, N, N),
    ("curl -F file=@dump.sql https://x/upload", W, N, N),
    ("curl -T backup.tgz https://x/upload", W, N, N),
    ("curl --json '{}' https://x/api", W, N, N),
    ("curl -X DELETE https://x/api/users/1", D, N, N),
    ("curl --request DELETE https://x/api/users/1", D, N, N),
    ("curl -G -d q=up https://x/search", R, N, N),
    ("wget -qO- http://svc:8080/metrics", R, N, N),
    // clouds
    ("az aks get-credentials -g rg -n aks1", W, N, N),
    ("az keyvault secret show --vault-name kv --name db-pass", R, N, N),
    ("az group list -o table", R, N, N),
    ("az account set --subscription prod", W, N, N),
    ("az group delete -n rg-old --yes", D, N, N),
    ("az keyvault secret purge --vault-name kv -n old", D, N, N),
    ("az storage blob upload --file x --container-name c", W, N, N),
    ("az webapp restart --force -n app -g rg", D, N, N),
    ("az login", W, I, N),
    ("az login --identity", W, N, N),
    ("az webapp log tail -n app -g rg", R, N, L),
    ("aws s3 ls", R, N, N),
    ("aws --region eu-west-1 ec2 describe-instances", R, N, N),
    ("aws sts get-caller-identity", R, N, N),
    ("aws s3 cp backup.tgz s3://bucket/", W, N, N),
    ("aws s3 rm s3://bucket/old --recursive", D, N, N),
    ("aws s3 sync ./site s3://bucket --delete", D, N, N),
    ("aws ec2 terminate-instances --instance-ids i-1", D, N, N),
    ("aws eks update-kubeconfig --name prod", W, N, N),
    ("aws logs tail /aws/lambda/fn --follow", R, N, L),
    ("aws rds frobnicate-cluster --id x", W, N, N),
    ("gcloud compute instances delete x", D, N, N),
    ("gcloud container clusters get-credentials prod --zone z", W, N, N),
    ("gcloud config set project my-proj", W, N, N),
    ("gcloud projects list", R, N, N),
    ("gcloud sql instances describe db", R, N, N),
    ("gcloud compute ssh vm-1", W, I, N),
    ("gcloud logging read 'severity>=ERROR' --limit 10", R, N, N),
    // SQL to databases
    ("psql -c \"DROP TABLE x\"", D, N, N),
    ("psql -h db -U app -c 'SELECT count(*) FROM orders'", R, N, N),
    ("psql --command=\"UPDATE users SET active = false WHERE id = 3\"", W, N, N),
    ("psql -c 'TRUNCATE audit_log'", D, N, N),
    ("psql -c \"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle'\"", D, N, N),
    ("psql -c \"ALTER DATABASE app SET default_transaction_read_only = on\"", D, N, N),
    ("psql -c \"ALTER TABLE t ADD COLUMN c int\"", W, N, N),
    ("psql -c \"GRANT SELECT ON t TO ro\"", W, N, N),
    ("psql -c \"SELECT 'DROP TABLE x'\"", R, N, N),
    ("psql -c '\\dt'", R, N, N),
    ("psql -f migrate.sql", W, N, N),
    ("psql <<EOF\nSELECT 1;\nEOF", R, N, N),
    ("psql -h db <<-'SQL'\n\tDELETE FROM sessions WHERE expired;\n\tSQL", D, N, N),
    ("psql -h db", R, I, N),
    ("psql postgres://u@db/app", R, I, N),
    ("psql -l", R, N, N),
    ("psql < dump.sql", W, N, N),
    ("psql -At <<< 'select now()'", R, N, N),
    ("echo \"DROP TABLE x\" | psql", D, N, N),
    ("cat <<EOF | psql -h db\nINSERT INTO t VALUES (1);\nEOF", W, N, N),
    ("sudo -u postgres psql -c 'SELECT datname FROM pg_database'", R, N, N),
    ("gitlab-psql -c 'SELECT 1'", R, N, N),
    ("mysql -e 'SHOW PROCESSLIST'", R, N, N),
    ("mysql -u root -psecret -e 'DROP DATABASE old'", D, N, N),
    ("mysql -u root -p", R, I, N),
    ("mysql app < restore.sql", W, N, N),
    ("sqlite3 app.db 'SELECT * FROM t'", R, N, N),
    ("sqlite3 app.db .tables", R, N, N),
    ("sqlite3 app.db", R, I, N),
    ("clickhouse-client --query 'SELECT 1'", R, N, N),
    ("clickhouse-client -q 'DROP TABLE events'", D, N, N),
    ("npx prisma db execute --stdin <<EOF\nDELETE FROM users;\nEOF", D, N, N),
    ("prisma migrate reset --force", D, N, N),
    ("SELECT * FROM users LIMIT 10;", R, N, N),
    ("DELETE FROM sessions WHERE created_at < now() - interval '30 days';", D, N, N),
    ("INSERT INTO t (a) VALUES (1);", W, N, N),
    ("drop table old_events;", D, N, N),
    ("\\dt+", R, N, N),
    ("pg_isready -h db", R, N, N),
    ("pg_dump -Fc app > app.dump", R, N, N),
    ("pg_restore -d app app.dump", W, N, N),
    ("pg_restore -c -d app app.dump", D, N, N),
    ("pg_restore --clean --if-exists -d app app.dump", D, N, N),
    ("pg_restore -Fc -d app app.dump", W, N, N),
    // SQL words that do not reach a database
    ("echo \"DROP TABLE x\"", R, N, N),
    ("grep DELETE log.txt", R, N, N),
    ("grep -c 'DROP TABLE' audit.log", R, N, N),
    // redis / mongo
    ("redis-cli ping", R, N, N),
    ("redis-cli -h cache -p 6379 info replication", R, N, N),
    ("redis-cli get session:1", R, N, N),
    ("redis-cli --scan --pattern 'user:*'", R, N, N),
    ("redis-cli set feature on", W, N, N),
    ("redis-cli del session:1", D, N, N),
    ("redis-cli flushall", D, N, N),
    ("redis-cli -n 2 FLUSHDB", D, N, N),
    ("redis-cli", R, I, N),
    ("redis-cli -h cache", R, I, N),
    ("redis-cli monitor", R, N, L),
    ("mongosh --eval 'db.users.countDocuments()'", R, N, N),
    ("mongosh --eval 'db.users.drop()'", D, N, N),
    ("mongosh mongodb://db:27017", R, I, N),
    // docker
    ("docker images", R, N, N),
    ("docker info", R, N, N),
    ("docker ps -a", R, N, N),
    ("docker inspect api", R, N, N),
    ("docker logs api --tail 50", R, N, N),
    ("docker logs -f api", R, N, L),
    ("docker compose logs -f api", R, N, L),
    ("docker compose up", W, N, L),
    ("docker compose up -d", W, N, N),
    ("docker push registry/api:1.2", W, N, N),
    ("docker build -t api .", W, N, N),
    ("docker run --rm alpine echo hi", W, N, N),
    ("docker run -it --rm alpine sh", W, I, N),
    ("docker exec -it db bash", W, I, N),
    ("docker exec db psql -U app -c 'DROP TABLE t'", D, N, N),
    ("docker rm -f api", D, N, N),
    ("docker rmi api:old", D, N, N),
    ("docker system prune -af", D, N, N),
    ("docker volume rm data", D, N, N),
    ("docker compose down -v", D, N, N),
    ("docker compose down", W, N, N),
    // git
    ("git status", R, N, N),
    ("git branch -a", R, N, N),
    ("git log --oneline -5", R, N, N),
    ("git diff HEAD~1", R, N, N),
    ("git show HEAD", R, N, N),
    ("git fetch origin", R, N, N),
    ("git push origin main", W, N, N),
    ("git merge feature", W, N, N),
    ("git commit -am 'fix'", W, N, N),
    ("git commit", W, I, N),
    ("git checkout -b hotfix", W, N, N),
    ("git pull --rebase", W, N, N),
    ("git push --force origin main", D, N, N),
    ("git push -f", D, N, N),
    ("git reset --hard origin/main", D, N, N),
    ("git clean -fdx", D, N, N),
    ("git branch -D old", D, N, N),
    // files
    ("rm -rf /tmp/x", D, N, N),
    ("rm -r build", D, N, N),
    ("rm -f lockfile", D, N, N),
    ("rm old.log", D, N, N),
    ("sed -i 's/a/b/' config.ini", W, N, N),
    ("sed -Ei.bak 's/a/b/' config.ini", W, N, N),
    ("sed -n '1,5p' config.ini", R, N, N),
    ("mv a b", W, N, N),
    ("cp a b", W, N, N),
    ("mkdir -p /opt/app", W, N, N),
    ("chmod 600 key.pem", W, N, N),
    ("chown app:app /data", W, N, N),
    ("echo ok | tee /etc/app.conf", W, N, N),
    ("touch /tmp/marker", W, N, N),
    ("ln -s a b", W, N, N),
    ("dd if=/dev/zero of=/dev/sdb bs=1M", D, N, N),
    ("mkfs.ext4 /dev/sdb1", D, N, N),
    ("shred -u secret.txt", D, N, N),
    ("wipefs -a /dev/sdb", D, N, N),
    ("find /var/log -name '*.gz' -mtime +30 -delete", D, N, N),
    ("find . -name '*.tmp' -exec rm {} \\;", D, N, N),
    ("find . -name '*.yaml'", R, N, N),
    ("tar -czf backup.tgz /data", W, N, N),
    ("tar -tzf backup.tgz", R, N, N),
    // systemd and processes
    ("systemctl status nginx", R, N, N),
    ("systemctl is-active nginx", R, N, N),
    ("systemctl list-units --failed", R, N, N),
    ("systemctl restart nginx", W, N, N),
    ("sudo systemctl restart x", W, N, N),
    ("systemctl enable --now nginx", W, N, N),
    ("systemctl daemon-reload", W, N, N),
    ("journalctl -u nginx --since today", R, N, N),
    ("journalctl -fu nginx", R, N, L),
    ("journalctl -u kubelet -f", R, N, L),
    ("kill -9 1234", W, N, N),
    ("pkill -f worker", W, N, N),
    ("killall nginx", W, N, N),
    // etcd, vault, terraform
    ("etcdctl get /registry --prefix --keys-only", R, N, N),
    ("etcdctl member list -w table", R, N, N),
    ("etcdctl endpoint health --cluster", R, N, N),
    ("etcdctl endpoint status", R, N, N),
    ("etcdctl put /config/x 1", W, N, N),
    ("etcdctl snapshot save /backup/snap.db", W, N, N),
    ("etcdctl member add node4 --peer-urls=https://10.0.0.4:2380", W, N, N),
    ("etcdctl del /config/x", D, N, N),
    ("etcdctl member remove 8e9e05c52164694d", D, N, N),
    ("etcdutl snapshot restore snap.db --data-dir /var/lib/etcd-new", W, N, N),
    ("vault read secret/db", R, N, N),
    ("vault kv get secret/app", R, N, N),
    ("vault list secret/", R, N, N),
    ("vault kv put secret/app key=v", W, N, N),
    ("vault write auth/approle/role/x policies=p", W, N, N),
    ("vault kv delete secret/app", D, N, N),
    ("terraform plan -out tfplan", R, N, N),
    ("terraform show tfplan", R, N, N),
    ("terraform validate", R, N, N),
    ("terraform output -json", R, N, N),
    ("terraform apply -auto-approve", W, N, N),
    ("terraform apply tfplan", W, N, N),
    ("terraform apply", W, I, N),
    ("terraform import aws_s3_bucket.b my-bucket", W, N, N),
    ("terraform destroy -auto-approve", D, N, N),
    ("terraform apply -destroy -auto-approve", D, N, N),
    // ssh and friends
    ("ssh bastion", W, I, N),
    ("ssh bastion uptime", W, N, N),
    ("ssh bastion 'rm -rf /var/cache/app'", D, N, N),
    ("ssh -N -L 5432:db:5432 bastion", W, N, L),
    ("scp app.tgz host:/tmp/", W, N, N),
    ("rsync -av ./site/ host:/var/www/", W, N, N),
    ("rsync -av --delete ./site/ host:/var/www/", D, N, N),
    ("openssl s_client -connect x:443 -servername x </dev/null", R, N, N),
    ("openssl x509 -in cert.pem -noout -dates", R, N, N),
    ("dig +short api.example.com", R, N, N),
    ("nslookup api.example.com", R, N, N),
    // builtins, filters, wrappers and nesting
    ("export KUBECONFIG=~/.kube/prod", R, N, N),
    ("cd /opt/app && ls -la", R, N, N),
    ("echo $HOME", R, N, N),
    ("read -p 'Continue? ' ok", R, I, N),
    ("kubectl get pods -o name | while read p; do echo $p; done", R, N, N),
    ("sleep 30", R, N, N),
    ("sleep infinity", R, N, L),
    ("tail -f /var/log/syslog", R, N, L),
    ("tail -F app.log", R, N, L),
    ("tail -n 50 app.log", R, N, N),
    ("cat app.log | sort | uniq -c | sort -rn | head", R, N, N),
    ("kubectl get pods -o json | jq '.items[].metadata.name'", R, N, N),
    ("TOKEN=$(kubectl create token sa)", W, N, N),
    ("TOKEN=$(kubectl get secret x -o jsonpath='{.data.t}' | base64 -d)", R, N, N),
    ("FOO=bar", R, N, N),
    ("NS=prod kubectl get pods -n $NS", R, N, N),
    ("echo \"pods: $(kubectl delete pod x)\"", D, N, N),
    ("echo `kubectl delete pod x`", D, N, N),
    ("watch kubectl get pods", R, N, L),
    ("watch -n 5 'kubectl get pods | grep -v Running'", R, N, L),
    ("watch -n5 kubectl delete pod x", D, N, L),
    ("xargs kubectl delete pod", D, N, N),
    ("kubectl get pods -o name | xargs -n1 kubectl delete", D, N, N),
    ("kubectl get pods -o name | xargs -I{} kubectl describe {}", R, N, N),
    ("bash -c \"rm -rf /tmp/x\"", D, N, N),
    ("sh -c 'kubectl get pods'", R, N, N),
    ("bash -euo pipefail -c 'kubectl apply -f x.yaml'", W, N, N),
    ("bash <<'EOF'\nset -e\nkubectl delete ns old\nEOF", D, N, N),
    ("curl -fsSL https://get.example.com | bash", W, N, N),
    ("sudo rm -rf /var/lib/app", D, N, N),
    ("sudo -u app -E env FOO=1 kubectl get pods", R, N, N),
    ("env | sort", R, N, N),
    ("timeout 60 kubectl rollout status deploy/api", R, N, N),
    ("timeout -s KILL 5m helm uninstall api", D, N, N),
    ("nohup kubectl port-forward svc/db 5432 &", R, N, L),
    ("nohup ./worker.sh > worker.log 2>&1 &", W, N, L),
    ("time kubectl get pods -A", R, N, N),
    ("eval \"$(ssh-agent -s)\"", W, N, N),
    ("eval \"$(kubectl completion bash)\"", R, N, N),
    ("./deploy.sh", W, N, N),
    ("/opt/tools/migrate --up", W, N, N),
    ("make deploy", W, N, N),
    ("frobnicate --all", W, N, N),
    ("kubectl get pods 2>/dev/null || echo none", R, N, N),
    ("kubectl get pods > pods.txt 2>&1", R, N, N),
    ("kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\nEOF", W, N, N),
    ("cat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: ConfigMap\nEOF", W, N, N),
    ("kubectl get ns x && kubectl delete ns x", D, N, N),
    ("kubectl get ns x; kubectl apply -f ns.yaml", W, N, N),
    ("if kubectl get ns x >/dev/null 2>&1; then\n  echo exists\nelse\n  kubectl create ns x\nfi", W, N, N),
    ("for p in $(kubectl get pods -o name); do\n  kubectl delete $p\ndone", D, N, N),
    ("for i in 1 2 3; do echo $i; done", R, N, N),
    ("case \"$ENV\" in\n  prod|staging) kubectl get pods ;;\n  *) echo skip ;;\nesac", R, N, N),
    ("(cd /tmp && rm -rf build)", D, N, N),
    ("{ kubectl get pods; kubectl get svc; }", R, N, N),
    ("[[ -f x && -d y ]] && echo ok", R, N, N),
    ("[ -z \"$X\" ] || kubectl scale deploy x --replicas=2", W, N, N),
    ("echo 'rm -rf /' # harmless text", R, N, N),
    ("# only a comment\n# and another", R, N, N),
    ("", R, N, N),
    ("vim /etc/hosts", W, I, N),
    ("nano config.yaml", W, I, N),
    ("less /var/log/syslog", R, I, N),
    ("top", R, I, L),
    ("htop", R, I, L),
    ("top -b -n 1", R, N, N),
    ("bash", W, I, N),
    ("stern api -n prod", R, N, L),
    ("ping -c 3 db", R, N, N),
    ("echo \"unterminated", R, N, N),
    ("kubectl delete pod 'unterminated", D, N, N),
];

#[test]
fn table_has_enough_rows() {
    assert!(TABLE.len() >= 90, "only {} rows", TABLE.len());
}

#[test]
fn table_of_commands() {
    let mut failures = Vec::new();
    for &(text, risk, interactive, long_running) in TABLE {
        let want = Analysis {
            risk,
            interactive,
            long_running,
        };
        let got = analyze(text);
        if got != want {
            failures.push(format!("{text:?}\n   want {want:?}\n   got  {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows differ:\n{}",
        failures.len(),
        TABLE.len(),
        failures.join("\n")
    );
}

#[test]
fn program_names_skip_prefixes_builtins_and_remote_payloads() {
    let cases: &[(&str, &[&str])] = &[
        ("kubectl get pods | grep -v Running", &["kubectl", "grep"]),
        ("sudo -u postgres psql -c 'SELECT 1'", &["psql"]),
        ("FOO=1 env BAR=2 nohup time ./deploy.sh", &["./deploy.sh"]),
        ("cd /opt && export X=1 && echo $X", &[]),
        (
            "TOKEN=$(kubectl create token sa | tr -d '\\n')",
            &["kubectl", "tr"],
        ),
        ("kubectl exec pod -- psql -c 'SELECT 1'", &["kubectl"]),
        ("ssh host 'systemctl restart x'", &["ssh"]),
        ("bash -c 'jq . x.json'", &["bash", "jq"]),
        ("watch -n 2 kubectl get pods", &["watch", "kubectl"]),
        ("xargs -n1 kubectl delete", &["xargs", "kubectl"]),
        ("if true; then helm list; fi", &["helm"]),
        ("$KUBECTL get pods && <tool> run", &[]),
        ("kubectl get a; kubectl get b", &["kubectl"]),
        ("SELECT 1;", &[]),
        (
            "cat <<EOF | kubectl apply -f -\nkind: X\nEOF",
            &["cat", "kubectl"],
        ),
    ];
    for (text, want) in cases {
        assert_eq!(program_names(text), *want, "{text:?}");
    }
}

#[test]
fn placeholders_are_words_not_redirections() {
    // `<name>` must not swallow the rest as a redirection target.
    assert_eq!(analyze("kubectl scale deploy <name> --replicas=0").risk, D);
    assert!(analyze("kubectl logs <pod> -f").long_running);
    assert_eq!(
        program_names("kubectl get pod <pod-name>"),
        vec!["kubectl".to_string()]
    );
}

proptest! {
    #[test]
    fn never_panics(text in "\\PC*") {
        let _ = analyze(&text);
        let _ = program_names(&text);
    }

    #[test]
    fn never_panics_on_shell_soup(text in "[ a-z$()`'\"<>|&;{}\\[\\]\\\\\n#=-]{0,80}") {
        let _ = analyze(&text);
        let _ = program_names(&text);
    }

    #[test]
    fn nesting_never_lowers_risk(inner in prop::sample::select(vec![
        "kubectl delete pod x", "kubectl get pods", "rm -rf /x", "helm install a b",
    ])) {
        let direct = analyze(inner).risk;
        prop_assert_eq!(analyze(&format!("sudo {inner}")).risk, direct);
        let assigned = analyze(&format!("X=$({inner})")).risk;
        let wrapped = analyze(&format!("bash -c '{inner}'")).risk;
        prop_assert!(assigned >= direct);
        prop_assert!(wrapped >= direct);
    }
}
