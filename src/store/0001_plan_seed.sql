-- The plan as "Step 4. Streamline response" of the Zero Trust guidance sets it out. Objectives 1
-- and 2b have empty implementation tables there, so their steps are suggestions, marked as such.
INSERT INTO setting (key, value) VALUES ('program_name', 'Streamline response');

INSERT INTO objective (id, title, kind, owner_role, position) VALUES
    ('1',  'Use the minimal number of alert queues', 'outcome', 'Security Architect', 1),
    ('2a', 'Set up Microsoft 365 Defender and AutoIR', 'deployment', 'Security Engineer', 2),
    ('2b', 'Set up Microsoft Defender for Cloud', 'deployment', 'Security Engineer', 3);

INSERT INTO step (objective_id, position, text, owner_role, doc_label, doc_link, suggested) VALUES
    ('1', 1, 'List every alert queue analysts watch today (SIEMs, product portals, ticket and mail inboxes), with its owner.',
        'Security Architect', '', '', 1),
    ('1', 2, 'Choose the primary queue: the Defender XDR incident queue, with Microsoft Sentinel in the Defender portal where a SIEM is kept.',
        'Security Architect', 'Sentinel in Defender', 'https://learn.microsoft.com/azure/sentinel/microsoft-sentinel-defender-portal', 1),
    ('1', 3, 'Connect the remaining alert sources to the primary queue, so their alerts arrive as incidents there.',
        'Security Architect', 'Connect', 'https://learn.microsoft.com/azure/sentinel/microsoft-365-defender-sentinel-integration', 1),
    ('1', 4, 'Retire or redirect the other queues and update the triage runbooks to name the primary queue.',
        'Security Architect', '', '', 1),
    ('2a', 1, 'Turn on Microsoft 365 Defender.',
        'Security Architect', 'Enable', 'https://docs.microsoft.com/microsoft-365/security/defender/m365d-enable', 0),
    ('2a', 2, 'Deploy the supported services of Defender for Endpoint, Defender for Office 365, Defender for Identity, and Defender for Cloud Apps.',
        'Security Architect', 'Deploy', 'https://docs.microsoft.com/microsoft-365/security/defender/deploy-supported-services', 0),
    ('2a', 3, 'Configure AutoIR capabilities.',
        'Security Architect', 'Configure', 'https://docs.microsoft.com/microsoft-365/security/defender/m365d-configure-auto-investigation-response', 0),
    ('2a', 4, 'Train your SecOps staff.',
        'Security Architect', 'Resources', 'https://docs.microsoft.com/microsoft-365/security/defender/microsoft-365-defender-train-security-staff', 0),
    ('2b', 1, 'Turn on the Defender for Cloud plans (enhanced security features) for every subscription.',
        'Security Architect', 'Enable', 'https://learn.microsoft.com/azure/defender-for-cloud/enable-enhanced-security', 1),
    ('2b', 2, 'Connect AWS, GCP and on-premises machines to Defender for Cloud.',
        'Security Architect', 'Connect', 'https://learn.microsoft.com/azure/defender-for-cloud/quickstart-onboard-aws', 1),
    ('2b', 3, 'Send Defender for Cloud alerts to the Defender XDR incident queue.',
        'Security Architect', 'Integrate', 'https://learn.microsoft.com/azure/defender-for-cloud/concept-integration-365', 1),
    ('2b', 4, 'Set up workflow automation for the common Defender for Cloud alerts.',
        'Security Architect', 'Automate', 'https://learn.microsoft.com/azure/defender-for-cloud/workflow-automation', 1);

INSERT INTO accountability (position, lead, owner, accountability) VALUES
    (1, 'CISO, CIO, or Director of Identity Security', '', 'Executive sponsorship'),
    (2, 'Program lead from SecOps Leadership', '', 'Drive results and cross-team collaboration'),
    (3, '', 'Security Architect', 'Advise on configuration and standards'),
    (4, '', 'SecOps Analysts', 'Implement configuration changes'),
    (5, '', 'SecOps Analysts', 'Update standards and policy documents'),
    (6, '', 'Security Governance', 'Monitor to ensure compliance');
